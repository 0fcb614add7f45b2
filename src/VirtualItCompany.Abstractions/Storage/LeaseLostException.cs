namespace VirtualItCompany;

/// <summary>A lease expired or was superseded, so its holder may no longer renew it or commit its work.</summary>
public sealed class LeaseLostException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="lease">The lost lease.</param>
    public LeaseLostException(WorkLease lease)
        : base($"The lease (token {lease?.Token}) on work item '{lease?.Item.Id}' is no longer held by worker '{lease?.WorkerId}'; another worker owns the item now, so this result is dropped.")
    {
        Lease = lease ?? throw new ArgumentNullException(nameof(lease));
    }

    /// <summary>Gets the lost lease.</summary>
    public WorkLease Lease { get; }
}
