using VirtualItCompany.Testing.Conformance.Storage;

namespace VirtualItCompany.Storage.Sqlite.Tests.Conformance;

// One subclass per storage suite: the guard (SqliteConformanceGuard) fails when one is missing.
public sealed class SqliteCommitAndReadTests : CommitAndReadConformanceTests<SqliteStorageFixture>;

public sealed class SqliteOptimisticConcurrencyTests : OptimisticConcurrencyConformanceTests<SqliteStorageFixture>;

public sealed class SqliteLeaseTests : LeaseConformanceTests<SqliteStorageFixture>;

public sealed class SqliteParkedWorkTests : ParkedWorkConformanceTests<SqliteStorageFixture>;

public sealed class SqliteIdempotentEnqueueTests : IdempotentEnqueueConformanceTests<SqliteStorageFixture>;

public sealed class SqliteCommitAtomicityTests : CommitAtomicityConformanceTests<SqliteStorageFixture>;

public sealed class SqliteConcurrentWorkerTests : ConcurrentWorkerConformanceTests<SqliteStorageFixture>;

public sealed class SqliteWorkWakeUpTests : WorkWakeUpConformanceTests<SqliteStorageFixture>;

public sealed class SqliteOutboxTests : OutboxConformanceTests<SqliteStorageFixture>;

public sealed class SqliteModelCallJournalTests : ModelCallJournalConformanceTests<SqliteStorageFixture>;

public sealed class SqliteBudgetCommitTests : BudgetCommitConformanceTests<SqliteStorageFixture>;

public sealed class SqliteAbandonedCallSweepTests : AbandonedCallSweepTests<SqliteStorageFixture>;

public sealed class SqliteAddressableQueueTests : AddressableQueueConformanceTests<SqliteStorageFixture>;
