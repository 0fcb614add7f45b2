using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace VirtualItCompany.Storage.Redis;

/// <summary>
/// The registered store, with every commit also writing, in its own transaction, a work message to the outbox for each item
/// it enqueues or retries; after the commit, the lease's stream entry is acknowledged and the outbox relayed to Redis.
/// </summary>
internal class RedisFedProjectStore(IProjectStore inner, RedisWorkQueue queue, OutboxRelay relay, RedisCommitAnnouncer announcer, RedisQueueOptions options, ILogger logger) : IProjectStore, IBudgetCommitStore
{
    /// <summary>Gets the store this one feeds Redis from.</summary>
    public IProjectStore Inner { get; } = inner;

    /// <inheritdoc />
    public IBudgetAccount? BudgetAccount => (Inner as IBudgetCommitStore)?.BudgetAccount;

    /// <inheritdoc />
    public async Task CommitAsync(ProjectCommit commit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(commit);
        var messages = new List<OutboxMessage>(commit.Outbox);
        foreach (var item in commit.Enqueue)
        {
            messages.Add(Message(item, null));
        }

        if (commit is { CompletesLease: { } retried, RetryAt: { } retryAt })
        {
            messages.Add(Message(retried.Item, retryAt));
        }

        await Inner.CommitAsync(messages.Count == commit.Outbox.Count ? commit : commit with { Outbox = messages }, cancellationToken).ConfigureAwait(false);
        if (commit.Events.Count > 0)
        {
            announcer.Announce(commit.ProjectId, commit.Snapshot.Version);
        }

        // Only after the store's commit: a crash before here leaves the entry pending, and its next claimer finds the item settled.
        if (commit.CompletesLease is { } lease)
        {
            await queue.AcknowledgeCommittedAsync(lease, CancellationToken.None).ConfigureAwait(false);
        }

        if (messages.Count > 0)
        {
            try
            {
                await relay.PumpAsync(CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is StackExchange.Redis.RedisException or RedisQueueException or TimeoutException)
            {
                // Committed and kept in the outbox: the background relay delivers it when Redis is back.
                logger.LogWarning(ex, "Committed work could not be relayed to Redis yet; the relay retries.");
            }
        }
    }

    /// <inheritdoc />
    public ValueTask<ProjectSnapshot?> GetAsync(ProjectId projectId, CancellationToken cancellationToken = default) => Inner.GetAsync(projectId, cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerable<ProjectEvent> ReadEventsAsync(ProjectId projectId, long afterVersion = 0, CancellationToken cancellationToken = default) => Inner.ReadEventsAsync(projectId, afterVersion, cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerable<ProjectSnapshot> ListAsync(ProjectStatus? status = null, CancellationToken cancellationToken = default) => Inner.ListAsync(status, cancellationToken);

    private OutboxMessage Message(WorkItem item, DateTimeOffset? dueAt) => new(
        options.OutboxTopic,
        item.Id,
        JsonSerializer.Serialize(new WorkMessage(item.Id, item.ProjectId.Value, item.Role.Value, dueAt is { } due ? WorkStream.CeilingMs(due) : null), WorkMessageJson.Default.WorkMessage));
}

/// <summary>The same, over a store that is also the model-call journal (as the runtime requires the journal to be the store).</summary>
internal class RedisFedJournalingProjectStore(IProjectStore inner, RedisWorkQueue queue, OutboxRelay relay, RedisCommitAnnouncer announcer, RedisQueueOptions options, ILogger logger)
    : RedisFedProjectStore(inner, queue, relay, announcer, options, logger), IModelCallJournal
{
    private IModelCallJournal Journal => (IModelCallJournal)Inner;

    /// <inheritdoc />
    public ValueTask<ModelCallRecord?> FindAsync(string workItemId, string callKey, CancellationToken cancellationToken = default) => Journal.FindAsync(workItemId, callKey, cancellationToken);

    /// <inheritdoc />
    public ValueTask<bool> RecordAsync(ModelCallRecord record, CancellationToken cancellationToken = default) => Journal.RecordAsync(record, cancellationToken);

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<ModelCallRecord>> ListAsync(string workItemId, CancellationToken cancellationToken = default) => Journal.ListAsync(workItemId, cancellationToken);
}

/// <summary>The same, over a store that also sweeps abandoned reservations in one transaction (<see cref="IAbandonedCallSweep"/>).</summary>
internal sealed class RedisFedSweepingProjectStore(IProjectStore inner, RedisWorkQueue queue, OutboxRelay relay, RedisCommitAnnouncer announcer, RedisQueueOptions options, ILogger logger)
    : RedisFedJournalingProjectStore(inner, queue, relay, announcer, options, logger), IAbandonedCallSweep
{
    /// <inheritdoc />
    public ValueTask<bool> SweepAbandonedAsync(string workItemId, long leaseToken, Func<BudgetReservation, ModelCallRecord> record, CancellationToken cancellationToken = default) =>
        ((IAbandonedCallSweep)Inner).SweepAbandonedAsync(workItemId, leaseToken, record, cancellationToken);
}
