namespace VirtualItCompany.Runtime;

/// <summary>The work items running in this process, by project, so that cancelling a project stops its agents at once instead of letting them spend on.</summary>
internal sealed class RunningWork
{
    private readonly Lock _gate = new();
    private readonly Dictionary<ProjectId, List<CancellationTokenSource>> _running = [];

    public Registration Register(ProjectId projectId, CancellationTokenSource work)
    {
        lock (_gate)
        {
            if (!_running.TryGetValue(projectId, out var list))
            {
                list = [];
                _running.Add(projectId, list);
            }

            list.Add(work);
        }

        return new Registration(this, projectId, work);
    }

    public void CancelAll(ProjectId projectId)
    {
        CancellationTokenSource[] work;
        lock (_gate)
        {
            if (!_running.TryGetValue(projectId, out var list))
            {
                return;
            }

            work = [.. list];
        }

        foreach (var cts in work)
        {
            try
            {
                cts.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // That item just finished.
            }
        }
    }

    private void Unregister(ProjectId projectId, CancellationTokenSource work)
    {
        lock (_gate)
        {
            if (_running.TryGetValue(projectId, out var list) && list.Remove(work) && list.Count == 0)
            {
                _running.Remove(projectId);
            }
        }
    }

    /// <summary>Removes the item from the running set when disposed.</summary>
    public readonly struct Registration(RunningWork owner, ProjectId projectId, CancellationTokenSource work) : IDisposable
    {
        public void Dispose() => owner?.Unregister(projectId, work);
    }
}
