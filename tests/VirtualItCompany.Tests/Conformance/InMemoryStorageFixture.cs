using Microsoft.Extensions.Time.Testing;
using VirtualItCompany.Storage;
using VirtualItCompany.Testing.Conformance.Storage;

namespace VirtualItCompany.Tests.Conformance;

/// <summary>Runs the storage conformance suites against <see cref="InMemoryCompanyStore"/>, with its model-call journal and its mid-commit fault hook.</summary>
public sealed class InMemoryStorageFixture : StorageFixture
{
    public override bool SupportsCommitFaultInjection => true;

    public override bool SupportsModelCallJournal => true;

    public override bool SupportsBudgetOperations => true;

    public override ValueTask<StorageUnderTest> CreateAsync(FakeTimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var budget = new VirtualItCompany.Routing.InMemoryBudgetAccount(null, timeProvider);
        var store = new InMemoryCompanyStore(timeProvider, budget);
        return ValueTask.FromResult(new StorageUnderTest(store, store, store)
        {
            Journal = store,
            Budget = budget,
            FailNextCommitMidway = () => store.FaultInjection = stage =>
            {
                store.FaultInjection = null;
                throw new InvalidOperationException($"Fault injected {stage}.");
            },
        });
    }
}
