namespace VirtualItCompany;

/// <summary>
/// The transactional outbox of a store: messages written by <see cref="IProjectStore.CommitAsync"/> in the same
/// transaction as the change that causes them, read by a relay that delivers them elsewhere and then acknowledges them.
/// </summary>
/// <remarks>
/// This is how a store whose queue or feed lives in another system keeps the commit atomic: PostgreSQL commits the
/// change and its outbox rows together; a relay copies the rows to Redis Streams (or webhooks) and acknowledges them only
/// after the copy is durable. Delivery is at least once, in <see cref="OutboxEntry.Sequence"/> order per topic; a
/// receiver drops duplicates by <see cref="OutboxMessage.Key"/>. A commit that fails writes no message.
/// </remarks>
public interface IOutbox
{
    /// <summary>Reads the oldest messages of a topic not yet acknowledged, in sequence order.</summary>
    /// <param name="topic">The topic.</param>
    /// <param name="maxCount">The most messages to read; 1 or more.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The messages; empty when none waits.</returns>
    ValueTask<IReadOnlyList<OutboxEntry>> ReadAsync(string topic, int maxCount, CancellationToken cancellationToken = default);

    /// <summary>Marks messages of a topic as delivered, so they are not read again; unknown or already acknowledged sequences are ignored.</summary>
    /// <param name="topic">The topic.</param>
    /// <param name="sequences">The messages' sequences.</param>
    /// <param name="cancellationToken">Cancels the call; then some, all or none of them may be acknowledged.</param>
    /// <returns>A task that completes when they are acknowledged.</returns>
    ValueTask AcknowledgeAsync(string topic, IReadOnlyCollection<long> sequences, CancellationToken cancellationToken = default);
}
