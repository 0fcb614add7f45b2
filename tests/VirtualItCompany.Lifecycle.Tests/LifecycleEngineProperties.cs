using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace VirtualItCompany.Lifecycle.Tests;

public class LifecycleEngineProperties
{
    private static readonly LifecycleEngine Engine = new(LifecycleDefinition.Default);

    private static readonly LifecycleStage[] DeclaredStages = [.. LifecycleDefinition.Default.Stages.Select(s => s.Stage)];

    private static readonly LifecycleTrigger[] Triggers =
    [
        .. LifecycleDefinition.Default.Transitions.Select(t => t.Trigger).Distinct(),
        new("Celebrate"),
    ];

    private static readonly LifecycleStage[] StagesAndOneStranger = [.. DeclaredStages, new("Brainstorming")];

    private static Arbitrary<LifecycleTrigger[]> TriggerSequences() =>
        Gen.ArrayOf(Gen.Elements(Triggers)).ToArbitrary();

    private static Arbitrary<int[]> Choices() =>
        Gen.ArrayOf(Gen.Choose(0, 1000)).ToArbitrary();

    private static Arbitrary<(LifecycleStage Stage, LifecycleTrigger Trigger)> StageTriggerPairs() =>
        Gen.Zip(Gen.Elements(StagesAndOneStranger), Gen.Elements(Triggers), (stage, trigger) => (stage, trigger)).ToArbitrary();

    private static Arbitrary<GeneratedLifecycle> GeneratedLifecycles() =>
        Gen.Choose(2, 9)
            .SelectMany(stageCount => Gen.ArrayOf(
                    
                    from origin in Gen.Choose(0, stageCount - 1)
                    from trigger in Gen.Choose(0, GeneratedLifecycle.ExtraTriggers.Length - 1)
                    from target in Gen.Choose(0, stageCount - 1)
                    select (origin, trigger, target))
                .Select(extras => new GeneratedLifecycle(stageCount, extras)))
            .ToArbitrary();

    [Property(MaxTest = 500)]
    public Property Any_trigger_sequence_stays_within_the_declared_stages_Meets_Specification() =>
        Prop.ForAll(TriggerSequences(), triggers =>
        {
            var stage = Engine.Definition.InitialStage;
            foreach (var trigger in triggers)
            {
                if (Engine.CanFire(stage, trigger))
                {
                    stage = Engine.Fire(stage, trigger);
                }
                else
                {
                    var before = stage;
                    Assert.Throws<InvalidTransitionException>(() => stage = Engine.Fire(stage, trigger));
                    Assert.Equal(before, stage);
                }

                Assert.Contains(stage, DeclaredStages);
            }
        });

    [Property(MaxTest = 500)]
    public Property Completed_stays_reachable_from_every_reachable_stage_Meets_Specification() =>
        Prop.ForAll(Choices(), choices =>
        {
            var stage = Engine.Definition.InitialStage;
            foreach (var choice in choices)
            {
                Assert.True(CanReachCompleted(stage), $"Completed is not reachable from '{stage}'.");
                var permitted = Engine.GetPermittedTriggers(stage);
                if (permitted.Count == 0)
                {
                    break;
                }

                stage = Engine.Fire(stage, permitted[choice % permitted.Count]);
            }

            Assert.True(CanReachCompleted(stage), $"Completed is not reachable from '{stage}'.");
        });

    [Property(MaxTest = 1000)]
    public Property CanFire_agrees_with_Fire_Meets_Specification() =>
        Prop.ForAll(StageTriggerPairs(), pair =>
        {
            var canFire = Engine.CanFire(pair.Stage, pair.Trigger);
            Exception? error = null;
            try
            {
                Engine.Fire(pair.Stage, pair.Trigger);
            }
            catch (Exception e) when (e is InvalidTransitionException or ArgumentException)
            {
                error = e;
            }

            Assert.Equal(canFire, error is null);
            Assert.Equal(canFire, Engine.Definition.TryGetStage(pair.Stage, out _) && Engine.GetPermittedTriggers(pair.Stage).Contains(pair.Trigger));
        });

    [Property(MaxTest = 500)]
    public Property Engine_transitions_equal_the_definition_transitions_Meets_Specification() =>
        Prop.ForAll(GeneratedLifecycles(), generated =>
        {
            var definition = generated.ToDefinition();
            Assert.Empty(definition.GetProblems());
            var engine = new LifecycleEngine(definition);

            var fromEngine = new HashSet<LifecycleTransition>();
            foreach (var stage in definition.Stages.Select(s => s.Stage))
            {
                Assert.Equal(definition.TerminalStages.Contains(stage), engine.IsTerminal(stage));
                foreach (var trigger in GeneratedLifecycle.AllTriggers)
                {
                    var permitted = engine.GetPermittedTriggers(stage).Contains(trigger);
                    Assert.Equal(permitted, engine.CanFire(stage, trigger));
                    if (permitted)
                    {
                        fromEngine.Add(new LifecycleTransition(stage, trigger, engine.Fire(stage, trigger)));
                    }
                    else
                    {
                        Assert.Throws<InvalidTransitionException>(() => engine.Fire(stage, trigger));
                    }
                }
            }

            Assert.True(fromEngine.SetEquals(definition.Transitions), $"Engine: {string.Join("; ", fromEngine)}. Definition: {string.Join("; ", definition.Transitions)}.");
        });

    private static bool CanReachCompleted(LifecycleStage start)
    {
        var seen = new HashSet<LifecycleStage> { start };
        var pending = new Queue<LifecycleStage>([start]);
        while (pending.TryDequeue(out var stage))
        {
            if (stage == LifecycleStage.Completed)
            {
                return true;
            }

            foreach (var trigger in Engine.GetPermittedTriggers(stage))
            {
                var next = Engine.Fire(stage, trigger);
                if (seen.Add(next))
                {
                    pending.Enqueue(next);
                }
            }
        }

        return false;
    }
}
