using Microsoft.Extensions.AI;

namespace VirtualItCompany;

/// <summary>
/// What the runtime tells the chat pipeline about the work item a call is made for, carried in
/// <see cref="ChatOptions.AdditionalProperties"/> under <see cref="PropertyKey"/>; and where the router reports every
/// charge it makes for the item, so that each becomes a <see cref="ModelCallCompleted"/> event.
/// </summary>
/// <remarks>Typed on both sides: the runtime attaches it, the router and middleware read it with <see cref="From"/>. Safe for concurrent calls.</remarks>
public sealed class ModelCallContext
{
    /// <summary>The key under which a call's options carry the context.</summary>
    public const string PropertyKey = "vic.call_context";

    private readonly Lock _gate = new();
    private List<ModelCharge>? _charges;
    private HashSet<string>? _open;

    /// <summary>Creates the context of a work item's calls.</summary>
    /// <param name="projectId">The project.</param>
    /// <param name="workItemId">The work item; reservations are owned by it.</param>
    /// <param name="role">The role that calls.</param>
    /// <param name="stage">The stage.</param>
    /// <param name="previousAttempts">How many times the item was tried before (0 on its first try); a router may route a retry one tier up.</param>
    public ModelCallContext(ProjectId projectId, string workItemId, AgentRole role, LifecycleStage stage, int previousAttempts = 0)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(workItemId);
        ArgumentOutOfRangeException.ThrowIfNegative(previousAttempts);
        ProjectId = projectId;
        WorkItemId = workItemId;
        Role = role;
        Stage = stage;
        PreviousAttempts = previousAttempts;
    }

    /// <summary>Gets the project whose budget the calls are charged to.</summary>
    public ProjectId ProjectId { get; }

    /// <summary>Gets the work item; it owns the budget reservations of its calls.</summary>
    public string WorkItemId { get; }

    /// <summary>Gets the calling role.</summary>
    public AgentRole Role { get; }

    /// <summary>Gets the stage.</summary>
    public LifecycleStage Stage { get; }

    /// <summary>Gets how many times the item was tried before.</summary>
    public int PreviousAttempts { get; }

    /// <summary>Gets the project's version (its last event) when the work item began; the outcome statistics count every verdict up to it (<see cref="IModelOutcomeStatistics"/>). 0 when unknown.</summary>
    public long ProjectVersion { get; init; }

    /// <summary>Gets the fencing token of the lease the work item runs under (<see cref="WorkLease.Token"/>); 0 outside a lease.</summary>
    /// <remarks>The router stamps it on the <see cref="IModelCallJournal"/> records it writes, so a later try can tell which calls an earlier one paid for.</remarks>
    public long LeaseToken { get; init; }

    /// <summary>
    /// Gets whether the router may leave the reservation of a call it journaled open, for the commit that settles the item's
    /// lease to settle in its own transaction (<see cref="ModelCharge.UnsettledReservationId"/>); set by the runtime when the
    /// store applies budget operations in its commits (<see cref="IBudgetCommitStore"/>).
    /// </summary>
    public bool SettleJournaledCallsInCommit { get; init; }

    /// <summary>
    /// Gets whether the <see cref="IModelCallJournal"/> may hold calls an earlier try of the item made; when
    /// <see langword="false"/> (the runtime found none when the try began, and only the lease holder can add records) the
    /// router does not look calls up. <see langword="true"/> by default.
    /// </summary>
    public bool JournalMayHoldCalls { get; init; } = true;

    /// <summary>Gets how many reservations the router made for the item's calls that it has neither settled, released nor left to the commit (a stream never read to its end).</summary>
    public int OpenReservationCount
    {
        get
        {
            lock (_gate)
            {
                return _open?.Count ?? 0;
            }
        }
    }

    /// <summary>Notes a reservation made for one of the item's calls (the router calls this for every reservation it makes).</summary>
    /// <param name="reservationId">The reservation's id.</param>
    public void ReservationOpened(string reservationId)
    {
        ArgumentException.ThrowIfNullOrEmpty(reservationId);
        lock (_gate)
        {
            (_open ??= new HashSet<string>(StringComparer.Ordinal)).Add(reservationId);
        }
    }

    /// <summary>Notes that a reservation is settled, released, or left for the commit to settle.</summary>
    /// <param name="reservationId">The reservation's id.</param>
    public void ReservationClosed(string reservationId)
    {
        ArgumentException.ThrowIfNullOrEmpty(reservationId);
        lock (_gate)
        {
            _open?.Remove(reservationId);
        }
    }

    /// <summary>Reads the context a call's options carry.</summary>
    /// <param name="options">The call's options.</param>
    /// <returns>The context, or <see langword="null"/> when the call is not made for a work item.</returns>
    public static ModelCallContext? From(ChatOptions? options) =>
        options?.AdditionalProperties is { } properties && properties.TryGetValue(PropertyKey, out object? value) ? value as ModelCallContext : null;

    /// <summary>Returns a copy of <paramref name="options"/> (or new options) that carries this context.</summary>
    /// <param name="options">The call's options, left unchanged.</param>
    /// <returns>The options to make the call with.</returns>
    public ChatOptions AttachTo(ChatOptions? options)
    {
        var attached = options?.Clone() ?? new ChatOptions();
        attached.AdditionalProperties = attached.AdditionalProperties is { } properties ? new AdditionalPropertiesDictionary(properties) : [];
        attached.AdditionalProperties[PropertyKey] = this;
        return attached;
    }

    /// <summary>Records a charge made for the item (the router calls this for every settlement, failed and broken calls too).</summary>
    /// <param name="charge">The charge.</param>
    public void Record(ModelCharge charge)
    {
        ArgumentNullException.ThrowIfNull(charge);
        lock (_gate)
        {
            (_charges ??= []).Add(charge);
        }
    }

    /// <summary>Takes the charges recorded so far, oldest first; they are not returned again.</summary>
    /// <returns>The charges.</returns>
    public IReadOnlyList<ModelCharge> TakeCharges()
    {
        lock (_gate)
        {
            var charges = _charges ?? [];
            _charges = null;
            return charges;
        }
    }
}
