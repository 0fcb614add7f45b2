using Microsoft.Extensions.Time.Testing;
using VirtualItCompany.Testing.Conformance.Storage;

namespace VirtualItCompany.Storage.Redis.Tests.Conformance;

/// <summary>Runs the storage suites against PostgreSQL with the Redis queue on top, on real servers: the deployment issue 11 describes (PostgreSQL authoritative, the stream fed from its outbox).</summary>
/// <remarks>Entries are claimable at once (ClaimMinIdle 0): the suites expire leases on a fake clock that Redis's idle times never see, so the store alone decides whether a lease lapsed.</remarks>
public sealed class RedisPostgreSqlStorageFixture : StorageFixture
{
    public override bool SupportsCommitFaultInjection => true;

    public override bool SupportsModelCallJournal => true;

    public override bool SupportsBudgetOperations => true;

    public override async ValueTask<StorageUnderTest> CreateAsync(FakeTimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var storage = await RedisPostgreSqlStorage.CreateAsync(timeProvider);
        var postgres = storage.Postgres;
        return new StorageUnderTest(storage.Store, storage.Queue, postgres)
        {
            Journal = (IModelCallJournal)storage.Store,
            Budget = storage.Store.BudgetAccount,
            FailNextCommitMidway = () => postgres.FaultInjection = stage =>
            {
                postgres.FaultInjection = null;
                throw new InvalidOperationException($"Fault injected {stage}.");
            },
            OnDispose = storage.DisposeAsync,
        };
    }
}
