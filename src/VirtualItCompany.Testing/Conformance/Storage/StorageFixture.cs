using Microsoft.Extensions.Time.Testing;

namespace VirtualItCompany.Testing.Conformance.Storage;

/// <summary>What a storage adapter's test project implements once: how to open a fresh, isolated store and what the adapter supports.</summary>
/// <remarks>
/// Every storage suite takes the fixture as its type argument (<c>LeaseConformanceTests&lt;MyStorageFixture&gt;</c>) and creates a new
/// storage for each test, so tests never see each other's projects, queue items or outbox messages.
/// </remarks>
public abstract class StorageFixture
{
    /// <summary>Gets whether the store implements <see cref="IOutbox"/>; the outbox tests are skipped when it does not.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public virtual bool SupportsOutbox => true;

    /// <summary>Gets whether the store implements <see cref="IModelCallJournal"/> (set <see cref="StorageUnderTest.Journal"/>); the journal tests are skipped when it does not.</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public virtual bool SupportsModelCallJournal => false;

    /// <summary>Gets whether the store applies the budget operations commits carry (<see cref="IBudgetCommitStore"/>; set <see cref="StorageUnderTest.Budget"/>); the budget-operation tests are skipped when it does not.</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public virtual bool SupportsBudgetOperations => false;

    /// <summary>Gets whether <see cref="StorageUnderTest.FailNextCommitMidway"/> is set, so that atomicity can be checked with a failure in the middle of a commit.</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public virtual bool SupportsCommitFaultInjection => false;

    /// <summary>Creates a fresh, empty and isolated store, work queue and (when supported) outbox and model-call journal.</summary>
    /// <param name="timeProvider">The clock the storage must use for lease expiry, retry times and the time-outs of <see cref="IWorkQueue.WaitForWorkAsync"/>.</param>
    /// <param name="cancellationToken">Cancels the creation.</param>
    /// <returns>The storage; disposed when the test ends.</returns>
    public abstract ValueTask<StorageUnderTest> CreateAsync(FakeTimeProvider timeProvider, CancellationToken cancellationToken);
}
