namespace VirtualItCompany.Lifecycle.Tests;

public class LifecycleEngineCostTests
{
    [Fact]
    public void Firing_allocates_a_small_fraction_of_the_per_item_budget()
    {
        var engine = new LifecycleEngine(LifecycleDefinition.Default);
        var transitions = LifecycleDefinition.Default.Transitions;
        const int Fires = 30_000;
        for (var i = 0; i < transitions.Count; i++)
        {
            engine.Fire(transitions[i].From, transitions[i].Trigger);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < Fires; i++)
        {
            var transition = transitions[i % transitions.Count];
            engine.Fire(transition.From, transition.Trigger);
        }

        var bytesPerFire = (GC.GetAllocatedBytesForCurrentThread() - before) / (double)Fires;
        TestContext.Current.TestOutputHelper?.WriteLine($"Allocated {bytesPerFire:F0} bytes per Fire; {Fires / clock.Elapsed.TotalSeconds:F0} fires/s on one thread.");
        // Stateless allocates about 1.2 KB per Fire; a work item may allocate 10 KB in all, so Fire may take at most a fifth.
        Assert.True(bytesPerFire < 2048, $"Fire allocated {bytesPerFire:F0} bytes per call; the budget per work item is 10 KB in all.");
    }

    [Fact]
    public void Queries_allocate_nothing()
    {
        var engine = new LifecycleEngine(LifecycleDefinition.Default);
        engine.CanFire(LifecycleStage.CodeReview, LifecycleTrigger.ReviewApproved);
        engine.GetPermittedTriggers(LifecycleStage.CodeReview);
        engine.IsTerminal(LifecycleStage.Completed);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10_000; i++)
        {
            engine.CanFire(LifecycleStage.CodeReview, LifecycleTrigger.ReviewApproved);
            engine.GetPermittedTriggers(LifecycleStage.Testing);
            engine.IsTerminal(LifecycleStage.Completed);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
