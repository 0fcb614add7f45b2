using Microsoft.Extensions.Time.Testing;
using VirtualItCompany.Testing.Conformance.Storage;

namespace VirtualItCompany.Storage.Redis.Tests.Conformance;

/// <summary>Runs the storage suites against SQLite with the Redis queue on top, on a real redis-server: the queue the suites lease from is the Redis one, the store they commit to is the one that feeds it.</summary>
/// <remarks>Entries are claimable at once (ClaimMinIdle 0): the suites expire leases on a fake clock that Redis's idle times never see, so the store alone decides whether a lease lapsed.</remarks>
public sealed class RedisStorageFixture : StorageFixture
{
    public override bool SupportsCommitFaultInjection => true;

    public override bool SupportsModelCallJournal => true;

    public override bool SupportsBudgetOperations => true;

    public override async ValueTask<StorageUnderTest> CreateAsync(FakeTimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var storage = await RedisSqliteStorage.CreateAsync(timeProvider);
        var sqlite = storage.Sqlite;
        return new StorageUnderTest(storage.Store, storage.Queue, sqlite)
        {
            Journal = (IModelCallJournal)storage.Store,
            Budget = storage.Store.BudgetAccount,
            FailNextCommitMidway = sqlite.FailNextCommitMidway,
            OnDispose = storage.DisposeAsync,
        };
    }
}
