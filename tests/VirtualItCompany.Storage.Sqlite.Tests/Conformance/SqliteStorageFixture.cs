using Microsoft.Extensions.Time.Testing;
using VirtualItCompany.Testing.Conformance.Storage;

namespace VirtualItCompany.Storage.Sqlite.Tests.Conformance;

/// <summary>Runs the storage conformance suites against the SQLite store over a fresh temporary file per test, with its journal and its mid-commit fault hook.</summary>
public sealed class SqliteStorageFixture : StorageFixture
{
    public override bool SupportsCommitFaultInjection => true;

    public override bool SupportsModelCallJournal => true;

    public override ValueTask<StorageUnderTest> CreateAsync(FakeTimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var temp = new TempDatabase();
        var store = new SqliteCompanyStore(temp.Open(timeProvider));
        return ValueTask.FromResult(new StorageUnderTest(store, store, store)
        {
            Journal = store,
            FailNextCommitMidway = () => store.FaultInjection = stage =>
            {
                store.FaultInjection = null;
                throw new InvalidOperationException($"Fault injected {stage}.");
            },
            OnDispose = temp.DisposeAsync,
        });
    }
}
