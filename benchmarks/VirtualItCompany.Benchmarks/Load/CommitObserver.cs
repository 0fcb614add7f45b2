using VirtualItCompany.Runtime;
using System.Threading.Channels;

namespace VirtualItCompany.Benchmarks.Load;

/// <summary>Counts committed work items and reports completed projects, as a live-feed subscriber or a store decorator.</summary>
internal sealed class CommitObserver
{
    private long _items;
    private long _projects;

    public Channel<ProjectId> Completed { get; } = Channel.CreateUnbounded<ProjectId>(new UnboundedChannelOptions { SingleReader = true });

    public long Items => Interlocked.Read(ref _items);

    public long Projects => Interlocked.Read(ref _projects);

    public void Observe(ProjectEvent e, ProjectId projectId)
    {
        if (e is WorkItemCompleted)
        {
            Interlocked.Increment(ref _items);
        }
        else if (e is ProjectCompleted)
        {
            Interlocked.Increment(ref _projects);
            Completed.Writer.TryWrite(projectId);
        }
    }

    /// <summary>Reads a live-feed subscription until it completes.</summary>
    public async Task ReadAsync(ProjectEventFeed.Subscription subscription)
    {
        var reader = subscription.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (reader.TryRead(out var entry))
            {
                if (entry.Event is { } e)
                {
                    Observe(e, e.ProjectId);
                }
            }
        }
    }
}
