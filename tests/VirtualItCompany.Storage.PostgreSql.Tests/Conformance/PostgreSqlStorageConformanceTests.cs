using VirtualItCompany.Testing.Conformance.Storage;

namespace VirtualItCompany.Storage.PostgreSql.Tests.Conformance;

// One subclass per storage suite: the guard (PostgreSqlConformanceGuard) fails when one is missing.
public sealed class PostgreSqlCommitAndReadTests : CommitAndReadConformanceTests<PostgreSqlStorageFixture>;

public sealed class PostgreSqlOptimisticConcurrencyTests : OptimisticConcurrencyConformanceTests<PostgreSqlStorageFixture>;

public sealed class PostgreSqlLeaseTests : LeaseConformanceTests<PostgreSqlStorageFixture>;

public sealed class PostgreSqlParkedWorkTests : ParkedWorkConformanceTests<PostgreSqlStorageFixture>;

public sealed class PostgreSqlIdempotentEnqueueTests : IdempotentEnqueueConformanceTests<PostgreSqlStorageFixture>;

public sealed class PostgreSqlCommitAtomicityTests : CommitAtomicityConformanceTests<PostgreSqlStorageFixture>;

public sealed class PostgreSqlConcurrentWorkerTests : ConcurrentWorkerConformanceTests<PostgreSqlStorageFixture>;

public sealed class PostgreSqlWorkWakeUpTests : WorkWakeUpConformanceTests<PostgreSqlStorageFixture>;

public sealed class PostgreSqlOutboxTests : OutboxConformanceTests<PostgreSqlStorageFixture>;

public sealed class PostgreSqlModelCallJournalTests : ModelCallJournalConformanceTests<PostgreSqlStorageFixture>;

public sealed class PostgreSqlBudgetCommitTests : BudgetCommitConformanceTests<PostgreSqlStorageFixture>;

public sealed class PostgreSqlAbandonedCallSweepTests : AbandonedCallSweepTests<PostgreSqlStorageFixture>;

public sealed class PostgreSqlAddressableQueueTests : AddressableQueueConformanceTests<PostgreSqlStorageFixture>;
