namespace VirtualItCompany.Lifecycle.Tests;

public class LifecycleEngineConcurrencyTests
{
    [Fact]
    public async Task Many_threads_firing_on_one_engine_all_get_the_declared_next_stage()
    {
        var engine = new LifecycleEngine(LifecycleDefinition.Default);
        var transitions = LifecycleDefinition.Default.Transitions;
        const int Threads = 16;
        const int FiresPerThread = 20_000;
        using var start = new Barrier(Threads);

        var workers = Enumerable.Range(0, Threads).Select(worker => Task.Factory.StartNew(
            () =>
            {
                start.SignalAndWait(TestContext.Current.CancellationToken);
                var mismatches = 0;
                for (var i = 0; i < FiresPerThread; i++)
                {
                    // Each thread walks the transitions in its own order so threads fire different stages at once.
                    var transition = transitions[((i * 7) + worker) % transitions.Count];
                    if (engine.Fire(transition.From, transition.Trigger) != transition.To
                        || !engine.CanFire(transition.From, transition.Trigger))
                    {
                        mismatches++;
                    }
                }

                return mismatches;
            },
            TestContext.Current.CancellationToken,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default)).ToArray();

        var mismatchesPerThread = await Task.WhenAll(workers);

        Assert.All(mismatchesPerThread, mismatches => Assert.Equal(0, mismatches));
    }

    [Fact]
    public async Task Many_threads_running_whole_projects_on_one_engine_all_complete()
    {
        var engine = new LifecycleEngine(LifecycleDefinition.Default);
        LifecycleTrigger[] project =
        [
            LifecycleTrigger.RequirementsClear, LifecycleTrigger.PlanReady, LifecycleTrigger.SetupComplete,
            LifecycleTrigger.FeaturesComplete, LifecycleTrigger.ReviewApproved, LifecycleTrigger.TestsFailed,
            LifecycleTrigger.FeaturesComplete, LifecycleTrigger.ReviewApproved, LifecycleTrigger.TestsPassed,
            LifecycleTrigger.StagingDeployed, LifecycleTrigger.ClientApproved, LifecycleTrigger.ProductionDeployed,
            LifecycleTrigger.ProjectComplete,
        ];

        var finalStages = await Task.WhenAll(Enumerable.Range(0, 64).Select(_ => Task.Run(
            () =>
            {
                var stage = engine.Definition.InitialStage;
                for (var round = 0; round < 200; round++)
                {
                    stage = engine.Definition.InitialStage;
                    foreach (var trigger in project)
                    {
                        stage = engine.Fire(stage, trigger);
                    }
                }

                return stage;
            },
            TestContext.Current.CancellationToken)));

        Assert.All(finalStages, stage => Assert.Equal(LifecycleStage.Completed, stage));
    }
}
