using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using VirtualItCompany.Storage;

namespace VirtualItCompany.Tests.Runtime;

/// <summary>
/// Two companies over one store stand for two processes (a web host watching, a worker committing): the watcher's own feed
/// never sees the other's commits, so only the store's announcements (<see cref="IProjectCommitAnnouncer"/>) can bring them.
/// </summary>
public sealed class CrossProcessFeedTests
{
    [Fact]
    public async Task A_watcher_receives_events_another_process_commits_when_the_store_announces_them()
    {
        var store = new AnnouncingStore(new InMemoryCompanyStore(TimeProvider.System));
        await using var watcher = new TestCompany(b => store.Register(b.Services), startWorkers: false);
        await using var other = new TestCompany(b => store.Register(b.Services), startWorkers: false);
        var project = await watcher.Company.SubmitAsync(TestCompany.Brief(), TestContext.Current.CancellationToken);

        var watching = watcher.WatchUntilAsync(project.Id, e => e is ProjectCancelled);
        await store.Listening.WaitAsync(TestContext.Current.CancellationToken);
        await other.Company.CancelAsync(project.Id, "cancelled in the other process", TestContext.Current.CancellationToken);

        var seen = await watching;
        Assert.Equal("cancelled in the other process", Assert.IsType<ProjectCancelled>(seen[^1]).Reason);
        Assert.Equal(Enumerable.Range(1, seen.Count).Select(v => (long)v), seen.Select(e => e.Version));
    }

    [Fact]
    public async Task After_announcements_were_lost_a_watcher_reads_the_store()
    {
        var store = new AnnouncingStore(new InMemoryCompanyStore(TimeProvider.System));
        await using var watcher = new TestCompany(b => store.Register(b.Services), startWorkers: false);
        await using var other = new TestCompany(b => store.Register(b.Services), startWorkers: false);
        var project = await watcher.Company.SubmitAsync(TestCompany.Brief(), TestContext.Current.CancellationToken);

        var watching = watcher.WatchUntilAsync(project.Id, e => e is ProjectCancelled);
        await store.Listening.WaitAsync(TestContext.Current.CancellationToken);
        store.Silent = true;
        await other.Company.CancelAsync(project.Id, "announcement lost", TestContext.Current.CancellationToken);
        store.Announce(ProjectCommitAnnouncement.MayHaveMissed);

        var seen = await watching;
        Assert.IsType<ProjectCancelled>(seen[^1]);
    }

    [Fact]
    public async Task Without_an_announcer_the_feed_does_not_listen()
    {
        await using var company = new TestCompany(startWorkers: false);
        Assert.False(company.Services.GetRequiredService<VirtualItCompany.Runtime.ProjectEventFeed>().SpansProcesses);
    }

    /// <summary>A store shared by the "processes" that announces each commit to every listener, as PostgreSQL's NOTIFY does.</summary>
    private sealed class AnnouncingStore(InMemoryCompanyStore inner) : IProjectStore, IProjectCommitAnnouncer
    {
        private readonly Lock _gate = new();
        private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private List<Action<ProjectCommitAnnouncement>> _listeners = [];

        public Task Listening => _listening.Task;

        public bool Silent { get; set; }

        public void Register(IServiceCollection services)
        {
            services.RemoveAll<IProjectStore>();
            services.RemoveAll<IWorkQueue>();
            services.AddSingleton<IProjectStore>(this);
            services.AddSingleton<IWorkQueue>(inner);
        }

        public void Announce(ProjectCommitAnnouncement announcement)
        {
            foreach (var listener in Volatile.Read(ref _listeners))
            {
                listener(announcement);
            }
        }

        public ValueTask<IAsyncDisposable> ListenAsync(Action<ProjectCommitAnnouncement> onAnnounced, CancellationToken cancellationToken = default)
        {
            lock (_gate)
            {
                _listeners = [.. _listeners, onAnnounced];
            }

            _listening.TrySetResult();
            return ValueTask.FromResult<IAsyncDisposable>(new Unlisten(this, onAnnounced));
        }

        public async Task CommitAsync(ProjectCommit commit, CancellationToken cancellationToken = default)
        {
            await inner.CommitAsync(commit, cancellationToken);
            if (!Silent && commit.Events.Count > 0)
            {
                Announce(new ProjectCommitAnnouncement(commit.ProjectId, commit.Snapshot.Version));
            }
        }

        public ValueTask<ProjectSnapshot?> GetAsync(ProjectId projectId, CancellationToken cancellationToken = default) => inner.GetAsync(projectId, cancellationToken);

        public IAsyncEnumerable<ProjectEvent> ReadEventsAsync(ProjectId projectId, long afterVersion = 0, CancellationToken cancellationToken = default) => inner.ReadEventsAsync(projectId, afterVersion, cancellationToken);

        public IAsyncEnumerable<ProjectSnapshot> ListAsync(ProjectStatus? status = null, CancellationToken cancellationToken = default) => inner.ListAsync(status, cancellationToken);

        private sealed class Unlisten(AnnouncingStore store, Action<ProjectCommitAnnouncement> listener) : IAsyncDisposable
        {
            public ValueTask DisposeAsync()
            {
                lock (store._gate)
                {
                    store._listeners = [.. store._listeners.Where(l => l != listener)];
                }

                return ValueTask.CompletedTask;
            }
        }
    }
}
