using VirtualItCompany.Testing.Conformance.Storage;

namespace VirtualItCompany.Storage.Redis.Tests.Conformance;

// The suites that concern the queue and the commits that feed it, over SQLite + Redis.
public sealed class RedisLeaseTests : LeaseConformanceTests<RedisStorageFixture>;

public sealed class RedisParkedWorkTests : ParkedWorkConformanceTests<RedisStorageFixture>;

public sealed class RedisIdempotentEnqueueTests : IdempotentEnqueueConformanceTests<RedisStorageFixture>;

public sealed class RedisConcurrentWorkerTests : ConcurrentWorkerConformanceTests<RedisStorageFixture>;

public sealed class RedisWorkWakeUpTests : WorkWakeUpConformanceTests<RedisStorageFixture>;

public sealed class RedisCommitAtomicityTests : CommitAtomicityConformanceTests<RedisStorageFixture>;

public sealed class RedisCommitAndReadTests : CommitAndReadConformanceTests<RedisStorageFixture>;

public sealed class RedisOptimisticConcurrencyTests : OptimisticConcurrencyConformanceTests<RedisStorageFixture>;

public sealed class RedisModelCallJournalTests : ModelCallJournalConformanceTests<RedisStorageFixture>;

public sealed class RedisBudgetCommitTests : BudgetCommitConformanceTests<RedisStorageFixture>;

// The same suites over PostgreSQL + Redis.
public sealed class RedisPostgreSqlLeaseTests : LeaseConformanceTests<RedisPostgreSqlStorageFixture>;

public sealed class RedisPostgreSqlParkedWorkTests : ParkedWorkConformanceTests<RedisPostgreSqlStorageFixture>;

public sealed class RedisPostgreSqlIdempotentEnqueueTests : IdempotentEnqueueConformanceTests<RedisPostgreSqlStorageFixture>;

public sealed class RedisPostgreSqlConcurrentWorkerTests : ConcurrentWorkerConformanceTests<RedisPostgreSqlStorageFixture>;

public sealed class RedisPostgreSqlWorkWakeUpTests : WorkWakeUpConformanceTests<RedisPostgreSqlStorageFixture>;

public sealed class RedisPostgreSqlCommitAtomicityTests : CommitAtomicityConformanceTests<RedisPostgreSqlStorageFixture>;

public sealed class RedisPostgreSqlCommitAndReadTests : CommitAndReadConformanceTests<RedisPostgreSqlStorageFixture>;

public sealed class RedisPostgreSqlOptimisticConcurrencyTests : OptimisticConcurrencyConformanceTests<RedisPostgreSqlStorageFixture>;

public sealed class RedisPostgreSqlModelCallJournalTests : ModelCallJournalConformanceTests<RedisPostgreSqlStorageFixture>;

public sealed class RedisPostgreSqlBudgetCommitTests : BudgetCommitConformanceTests<RedisPostgreSqlStorageFixture>;
