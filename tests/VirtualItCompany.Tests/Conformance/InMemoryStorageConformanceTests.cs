using VirtualItCompany.Testing.Conformance.Storage;

namespace VirtualItCompany.Tests.Conformance;

// One subclass per storage suite: the guard (ConformanceGuard) fails when one is missing.
public sealed class InMemoryCommitAndReadTests : CommitAndReadConformanceTests<InMemoryStorageFixture>;

public sealed class InMemoryOptimisticConcurrencyTests : OptimisticConcurrencyConformanceTests<InMemoryStorageFixture>;

public sealed class InMemoryLeaseTests : LeaseConformanceTests<InMemoryStorageFixture>;

public sealed class InMemoryParkedWorkTests : ParkedWorkConformanceTests<InMemoryStorageFixture>;

public sealed class InMemoryIdempotentEnqueueTests : IdempotentEnqueueConformanceTests<InMemoryStorageFixture>;

public sealed class InMemoryCommitAtomicityTests : CommitAtomicityConformanceTests<InMemoryStorageFixture>;

public sealed class InMemoryConcurrentWorkerTests : ConcurrentWorkerConformanceTests<InMemoryStorageFixture>;

public sealed class InMemoryWorkWakeUpTests : WorkWakeUpConformanceTests<InMemoryStorageFixture>;

public sealed class InMemoryOutboxTests : OutboxConformanceTests<InMemoryStorageFixture>;

public sealed class InMemoryModelCallJournalTests : ModelCallJournalConformanceTests<InMemoryStorageFixture>;

public sealed class InMemoryBudgetCommitTests : BudgetCommitConformanceTests<InMemoryStorageFixture>;
