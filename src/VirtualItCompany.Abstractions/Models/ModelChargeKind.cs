namespace VirtualItCompany;

/// <summary>How a charged model call ended.</summary>
public enum ModelChargeKind
{
    /// <summary>The model answered; its usage was priced (or, with usage missing, its reservation charged).</summary>
    Completed,

    /// <summary>The call failed after it may have been billed (sent, then an error or timeout); charged at its reservation.</summary>
    Failed,

    /// <summary>The call was broken off or abandoned part-way (a stream not read to its end, a reservation its owner left open); charged at its reservation.</summary>
    Abandoned,

    /// <summary>
    /// The call was answered from the <see cref="IModelCallJournal"/> at no cost: an earlier try of the same work item made
    /// and paid for it (that payment is its own <see cref="ModelCallCompleted"/> event); the budget is not charged again.
    /// </summary>
    Replayed,
}
