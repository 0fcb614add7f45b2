using Microsoft.Extensions.Time.Testing;
using VirtualItCompany.Testing.Conformance.Storage;

namespace VirtualItCompany.Storage.Sqlite.Tests.Conformance;

/// <summary>Runs the storage conformance suites against the SQLite store over a fresh temporary file per test, with its journal and its mid-commit fault hook.</summary>
public sealed class SqliteStorageFixture : StorageFixture
{
    public override bool SupportsCommitFaultInjection => true;

    public override bool SupportsModelCallJournal => true;

    public override bool SupportsBudgetOperations => true;

    public override ValueTask<StorageUnderTest> CreateAsync(FakeTimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var temp = new TempDatabase();
        var database = temp.Open(timeProvider);
        var budget = new SqliteBudgetAccount(database);
        var store = new SqliteCompanyStore(database, budget);
        return ValueTask.FromResult(new StorageUnderTest(store, store, store)
        {
            Journal = store,
            Budget = budget,
            FailNextCommitMidway = store.FailNextCommitMidway,
            OnDispose = temp.DisposeAsync,
        });
    }
}
