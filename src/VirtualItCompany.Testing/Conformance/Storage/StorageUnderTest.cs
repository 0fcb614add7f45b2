namespace VirtualItCompany.Testing.Conformance.Storage;

/// <summary>One fresh storage a conformance test runs against: the store, its queue, its outbox and its model-call journal, usually the same object.</summary>
/// <param name="store">The project store.</param>
/// <param name="queue">The work queue that <paramref name="store"/>'s commits fill and settle.</param>
/// <param name="outbox">The outbox that <paramref name="store"/>'s commits write, or <see langword="null"/> when the adapter has none.</param>
public sealed class StorageUnderTest(IProjectStore store, IWorkQueue queue, IOutbox? outbox = null) : IAsyncDisposable
{
    /// <summary>Gets the project store.</summary>
    public IProjectStore Store { get; } = store ?? throw new ArgumentNullException(nameof(store));

    /// <summary>Gets the work queue.</summary>
    public IWorkQueue Queue { get; } = queue ?? throw new ArgumentNullException(nameof(queue));

    /// <summary>Gets the outbox, or <see langword="null"/> when the adapter has none.</summary>
    public IOutbox? Outbox { get; } = outbox;

    /// <summary>Gets the model-call journal whose records <see cref="Store"/>'s commits remove, or <see langword="null"/> when the adapter has none.</summary>
    public IModelCallJournal? Journal { get; init; }

    /// <summary>Gets the budget account <see cref="Store"/>'s commits apply their budget operations to (<see cref="IBudgetCommitStore.BudgetAccount"/>), or <see langword="null"/> when the adapter applies none.</summary>
    public IBudgetAccount? Budget { get; init; }

    /// <summary>Gets an action that makes the next commit fail after it wrote part of its changes (events and snapshot) and before the rest (queue, outbox), or <see langword="null"/> when the adapter cannot inject such a failure.</summary>
    /// <remarks>The failed commit must throw (any exception) and leave nothing of itself visible.</remarks>
    public Action? FailNextCommitMidway { get; init; }

    /// <summary>Gets what to do when the test ends, such as deleting a database; <see langword="null"/> for nothing.</summary>
    public Func<ValueTask>? OnDispose { get; init; }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => OnDispose?.Invoke() ?? ValueTask.CompletedTask;
}
