using System.Data.Common;
using System.Text.Json.Serialization;
using VirtualItCompany;

namespace PackageSnippets;

// README:start
public sealed record InvoiceSent(decimal Amount) : ProjectEvent;

[JsonSerializable(typeof(InvoiceSent))]
internal sealed partial class MyEventsContext : JsonSerializerContext;
// README:end

/// <summary>src/VirtualItCompany.Abstractions/README.md: custom events, and the shape of a storage adapter's commit.</summary>
internal static class AbstractionsSnippets
{
    public static string Run()
    {
        // README:start
        var types = new ProjectEventTypes().Register("invoiceSent", MyEventsContext.Default.InvoiceSent);
        var sent = new InvoiceSent(42m) { ProjectId = new ProjectId("prj_1") };  // the runtime stamps Version and Timestamp
        string json = ProjectEventSerializer.Serialize(sent, types);           // {"$type":"invoiceSent",...}
        ProjectEvent back = ProjectEventSerializer.Deserialize(json, types);   // equal to sent
        // README:end
        if (!back.Equals(sent))
        {
            throw new InvalidOperationException($"The custom event did not round-trip: {json}");
        }

        return json;
    }
}

/// <summary>
/// The shape of <see cref="IProjectStore.CommitAsync"/> in a store over a database: the helpers are the adapter's own
/// statements. Compiled, not run (it needs a database); a real adapter proves itself with the conformance suites.
/// </summary>
public abstract class TransactionalProjectStore
{
    // README:start
    public async Task CommitAsync(ProjectCommit commit, CancellationToken ct)
    {
        commit.Validate();                                   // stamped, contiguous, snapshot at the right version
        await using var tx = await BeginAsync(ct);
        await CheckVersionAsync(tx, commit.ProjectId, commit.ExpectedVersion, ct);   // else ConcurrencyException
        if (commit.CompletesLease is { } lease) await CheckFenceAsync(tx, lease, ct); // else LeaseLostException
        await AppendAsync(tx, commit.Events, commit.Snapshot, ct);
        await SettleLeaseAsync(tx, commit.CompletesLease, commit.RetryAt, ct);
        await EnqueueAsync(tx, commit.Enqueue, ct);          // ids already queued are ignored
        await WriteOutboxAsync(tx, commit.Outbox, ct);
        await tx.CommitAsync(ct);
    }
    // README:end

    protected abstract ValueTask<DbTransaction> BeginAsync(CancellationToken ct);

    protected abstract Task CheckVersionAsync(DbTransaction tx, ProjectId projectId, long expectedVersion, CancellationToken ct);

    protected abstract Task CheckFenceAsync(DbTransaction tx, WorkLease lease, CancellationToken ct);

    protected abstract Task AppendAsync(DbTransaction tx, IReadOnlyList<ProjectEvent> events, ProjectSnapshot snapshot, CancellationToken ct);

    protected abstract Task SettleLeaseAsync(DbTransaction tx, WorkLease? lease, DateTimeOffset? retryAt, CancellationToken ct);

    protected abstract Task EnqueueAsync(DbTransaction tx, IReadOnlyList<WorkItem> items, CancellationToken ct);

    protected abstract Task WriteOutboxAsync(DbTransaction tx, IReadOnlyList<OutboxMessage> messages, CancellationToken ct);
}
