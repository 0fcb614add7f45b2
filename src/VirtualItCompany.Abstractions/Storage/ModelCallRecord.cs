namespace VirtualItCompany;

/// <summary>A completed model call of a running work item, as <see cref="IModelCallJournal"/> stores it.</summary>
/// <param name="WorkItemId">The work item that made the call.</param>
/// <param name="CallKey">The call's key within the item (see <see cref="IModelCallJournal.FindAsync"/>).</param>
/// <param name="Response">The model's response, serialized as JSON (a <c>Microsoft.Extensions.AI.ChatResponse</c>).</param>
/// <param name="Provider">The provider that answered.</param>
/// <param name="ModelId">The model that answered.</param>
/// <param name="InputTokens">The input tokens charged.</param>
/// <param name="OutputTokens">The output tokens charged.</param>
/// <param name="Cost">The amount charged for the call, in US dollars.</param>
/// <param name="Duration">How long the call took.</param>
/// <param name="ReservationId">The budget reservation the call's cost settles; <see langword="null"/> when none was made.</param>
/// <param name="LeaseToken">The fencing token of the lease under which the call was made (<see cref="WorkLease.Token"/>): which try of the item paid for it.</param>
/// <param name="RecordedAt">When the call completed.</param>
public sealed record ModelCallRecord(
    string WorkItemId,
    string CallKey,
    string Response,
    string Provider,
    string ModelId,
    long InputTokens,
    long OutputTokens,
    decimal Cost,
    TimeSpan Duration,
    string? ReservationId,
    long LeaseToken,
    DateTimeOffset RecordedAt);
