using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using VirtualItCompany;
using VirtualItCompany.Testing.Conformance;
using VirtualItCompany.Testing.Conformance.Storage;

namespace PackageSnippets;

/// <summary>
/// src/VirtualItCompany.Testing/README.md: the storage conformance kit wired to a store. The suites run in a test
/// project (xunit v3), so here they are compiled only; the program runs the fixture itself: a fresh store, one commit.
/// </summary>
internal static class TestingSnippets
{
    public static async Task<string> RunAsync()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        await using var storage = await new CompanyStorageFixture().CreateAsync(time, CancellationToken.None);
        var project = new ProjectId("prj_snippet");
        await storage.Store.CommitAsync(ProjectCommits.Create(project, time.GetUtcNow(), ProjectCommits.Item(project, AgentRole.ProjectManager, time.GetUtcNow())));
        var snapshot = await storage.Store.GetAsync(project) ?? throw new InvalidOperationException("The committed project was not found.");
        long queued = await storage.Queue.CountAsync();
        if (queued != 1)
        {
            throw new InvalidOperationException($"{queued} items queued, not 1.");
        }

        return $"a fresh store from the fixture took a commit: {snapshot.Id} at version {snapshot.Version}, {queued} item queued";
    }
}

// README:start
public sealed class CompanyStorageFixture : StorageFixture
{
    // A fresh, isolated store per test, registered as an app registers it, on the fake clock the suites drive.
    public override ValueTask<StorageUnderTest> CreateAsync(FakeTimeProvider time, CancellationToken ct)
    {
        var services = new ServiceCollection().AddSingleton<TimeProvider>(time);
        services.AddVirtualItCompany().UseInMemoryStorage();   // your adapter: its own Use...Storage(...)
        var provider = services.BuildServiceProvider();
        return ValueTask.FromResult(new StorageUnderTest(
            provider.GetRequiredService<IProjectStore>(), provider.GetRequiredService<IWorkQueue>(), provider.GetService<IOutbox>())
        {
            OnDispose = provider.DisposeAsync,
        });
    }
}

public sealed class CompanyCommitAndReadTests : CommitAndReadConformanceTests<CompanyStorageFixture>;
public sealed class CompanyOptimisticConcurrencyTests : OptimisticConcurrencyConformanceTests<CompanyStorageFixture>;
public sealed class CompanyLeaseTests : LeaseConformanceTests<CompanyStorageFixture>;
public sealed class CompanyParkedWorkTests : ParkedWorkConformanceTests<CompanyStorageFixture>;
public sealed class CompanyIdempotentEnqueueTests : IdempotentEnqueueConformanceTests<CompanyStorageFixture>;
public sealed class CompanyCommitAtomicityTests : CommitAtomicityConformanceTests<CompanyStorageFixture>;
public sealed class CompanyConcurrentWorkerTests : ConcurrentWorkerConformanceTests<CompanyStorageFixture>;
public sealed class CompanyWorkWakeUpTests : WorkWakeUpConformanceTests<CompanyStorageFixture>;
public sealed class CompanyOutboxTests : OutboxConformanceTests<CompanyStorageFixture>;

public sealed class CompanyConformanceGuard : ConformanceGuardTests
{
    protected override IReadOnlyCollection<string> Areas => [ConformanceSuiteAttribute.Storage];
}
// README:end
