using System.Collections.Frozen;

namespace VirtualItCompany.Lifecycle;

/// <summary>Where each trigger leads from one stage, precomputed so queries allocate nothing.</summary>
internal sealed class StageRoutes(FrozenDictionary<LifecycleTrigger, LifecycleStage> next, IReadOnlyList<LifecycleTrigger> permitted, bool isTerminal)
{
    public FrozenDictionary<LifecycleTrigger, LifecycleStage> Next { get; } = next;

    public IReadOnlyList<LifecycleTrigger> Permitted { get; } = permitted;

    public bool IsTerminal { get; } = isTerminal;
}
