using Microsoft.Extensions.Time.Testing;
using VirtualItCompany.Testing.Conformance.Storage;

namespace VirtualItCompany.Storage.PostgreSql.Tests.Conformance;

/// <summary>Runs the storage conformance suites against the PostgreSQL store in a fresh schema per test, with its journal, its budget account and its mid-commit fault hook.</summary>
public sealed class PostgreSqlStorageFixture : StorageFixture
{
    public override bool SupportsCommitFaultInjection => true;

    public override bool SupportsModelCallJournal => true;

    public override bool SupportsBudgetOperations => true;

    public override async ValueTask<StorageUnderTest> CreateAsync(FakeTimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var schema = new TempSchema();
        var database = await schema.OpenAsync(timeProvider);
        var budget = new PostgreSqlBudgetAccount(database);
        var store = new PostgreSqlCompanyStore(database, budget);
        return new StorageUnderTest(store, store, store)
        {
            Journal = store,
            Budget = budget,
            FailNextCommitMidway = () => store.FaultInjection = stage =>
            {
                store.FaultInjection = null;
                throw new InvalidOperationException($"Fault injected {stage}.");
            },
            OnDispose = schema.DisposeAsync,
        };
    }
}
