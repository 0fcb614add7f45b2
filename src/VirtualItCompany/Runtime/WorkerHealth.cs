namespace VirtualItCompany.Runtime;

/// <summary>A snapshot of this process's workers (<see cref="WorkDispatcher.GetHealth"/>), for health checks and dashboards.</summary>
/// <param name="WorkerId">The name this process's workers put on their leases.</param>
/// <param name="Running">Whether the dispatcher is running (false before the host starts it and after it stops).</param>
/// <param name="Workers">How many workers it runs (<see cref="CompanyOptions.Workers"/>).</param>
/// <param name="Busy">How many of them are working on an item now.</param>
/// <param name="ItemsFinished">How many items its workers have finished (committed or given up) since the process started.</param>
/// <param name="ItemsFailed">How many of those ended in an error the worker logged (the item runs again when its lease lapses).</param>
/// <param name="LeaseFailures">How many times in a row leasing from the queue has failed (0 when the queue answers).</param>
/// <param name="LastLeasedAt">When a worker last leased an item; <see langword="null"/> before the first.</param>
/// <param name="LastFinishedAt">When a worker last finished an item; <see langword="null"/> before the first.</param>
public sealed record WorkerHealth(
    string WorkerId,
    bool Running,
    int Workers,
    int Busy,
    long ItemsFinished,
    long ItemsFailed,
    int LeaseFailures,
    DateTimeOffset? LastLeasedAt,
    DateTimeOffset? LastFinishedAt);
