namespace VirtualItCompany.Routing;

/// <summary>Why a candidate was passed over.</summary>
internal enum Rejection : byte
{
    None = 0,
    MissingCapabilities,
    ContextTooSmall,
    CircuitOpen,
    OverBudget,
    Failed,
}
