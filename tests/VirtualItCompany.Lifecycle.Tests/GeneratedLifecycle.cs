namespace VirtualItCompany.Lifecycle.Tests;

/// <summary>
/// A randomly generated lifecycle that is valid by construction: a chain S0 -> S1 -> ... -> S(n-1) (terminal)
/// guarantees every stage is reachable and can finish, and extra transitions add loops, skips and re-entries.
/// </summary>
internal sealed record GeneratedLifecycle(int StageCount, (int From, int Trigger, int To)[] Extras)
{
    public static readonly LifecycleTrigger Next = new("Next");

    public static readonly LifecycleTrigger[] ExtraTriggers = [new("Retry"), new("Skip"), new("Back"), new("Escalate"), new("Loop")];

    public static LifecycleTrigger[] AllTriggers { get; } = [Next, .. ExtraTriggers, new("NeverDeclared")];

    public static LifecycleStage StageAt(int index) => new($"S{index}");

    public LifecycleDefinition ToDefinition()
    {
        var builder = LifecycleDefinition.CreateBuilder("Generated", StageAt(0));
        for (var i = 0; i < StageCount - 1; i++)
        {
            builder.Stage(StageAt(i), new AgentRole($"Role{i % 3}")).Permit(StageAt(i), Next, StageAt(i + 1));
        }

        builder.Terminal(StageAt(StageCount - 1));
        var used = new HashSet<(int, int)>();
        foreach (var (from, trigger, to) in Extras)
        {
            // Keep it valid: nothing leaves the terminal stage, and one trigger leads one stage to one place.
            if (from < StageCount - 1 && used.Add((from, trigger)))
            {
                // A different spelling of the same stage must mean the same stage.
                var target = trigger % 2 == 0 ? StageAt(to) : new LifecycleStage(StageAt(to).Value.ToLowerInvariant());
                builder.Permit(StageAt(from), ExtraTriggers[trigger], target);
            }
        }

        return builder.Build();
    }

    public override string ToString() =>
        $"{StageCount} stages, extras: {string.Join(", ", Extras.Select(e => $"S{e.From} -{ExtraTriggers[e.Trigger]}-> S{e.To}"))}";
}
