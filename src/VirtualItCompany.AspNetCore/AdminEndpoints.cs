using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace VirtualItCompany.AspNetCore;

/// <summary>The admin views: every project, costs from the events, the queue.</summary>
internal static class AdminEndpoints
{
    public static void Map(RouteGroupBuilder admin)
    {
        admin.MapGet("/projects", (HttpContext http, IDeliveryCompany company, IOptions<VirtualItCompanyApiOptions> options, CancellationToken cancellationToken) =>
                ProjectEndpoints.ListAsync(http, company, options.Value, owner: null, cancellationToken))
            .WithName("VirtualItCompany.Admin.Projects").WithSummary("Every client's projects, newest first, by page; filter by status and stage.")
            .Produces<ProjectPage>().ProducesProblem(StatusCodes.Status400BadRequest);
        admin.MapGet("/costs", Costs)
            .WithName("VirtualItCompany.Admin.Costs").WithSummary("What model calls cost, by project, model, role and day, summed from the projects' ModelCallCompleted events.")
            .Produces<CostReport>();
        admin.MapGet("/queue", Queue)
            .WithName("VirtualItCompany.Admin.Queue").WithSummary("The work queue's depth and the projects by status.")
            .Produces<QueueView>();
        admin.MapGet("/routing", Routing)
            .WithName("VirtualItCompany.Admin.Routing").WithSummary("The router's decisions: the latest model calls (model, complexity, reason, estimated and charged cost, fallbacks, the chosen model's verdicts), every call by complexity and model, and the verdicts on each model's work per role and stage with where the outcome-feedback policy holds them.")
            .Produces<RoutingReport>().ProducesProblem(StatusCodes.Status400BadRequest);
        admin.MapGet("/workers", Workers)
            .WithName("VirtualItCompany.Admin.Workers").WithSummary("This process's workers (running, busy, finished, failing to lease) and the queue's depth.")
            .Produces<WorkersView>();
    }

    private const int MaxRecentDecisions = 500;

    // Reads every project's events, as the cost view does.
    private static async Task<IResult> Routing(IDeliveryCompany company, IProjectStore store, IServiceProvider services, int? limit, CancellationToken cancellationToken)
    {
        int take = limit ?? 50;
        if (take is < 1 or > MaxRecentDecisions)
        {
            return Problems.BadRequest($"limit must be between 1 and {MaxRecentDecisions}.");
        }

        var recent = new PriorityQueue<RoutingDecisionView, DateTimeOffset>();
        var mix = new SortedDictionary<(int Complexity, string Model), (long Calls, decimal Cost)>();
        await foreach (var project in company.ListAsync(cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            await foreach (var e in store.ReadEventsAsync(project.Id, 0, cancellationToken).ConfigureAwait(false))
            {
                if (e is not ModelCallCompleted call)
                {
                    continue;
                }

                var routing = call.Routing;
                var key = (routing?.Complexity ?? 0, call.ModelId);
                mix[key] = mix.TryGetValue(key, out var line) ? (line.Calls + 1, line.Cost + call.Cost) : (1, call.Cost);
                recent.Enqueue(
                    new RoutingDecisionView(
                        project.Id.Value, call.Timestamp, call.Role.ToString(), call.Stage.ToString(), call.Provider, call.ModelId, routing?.Complexity,
                        routing?.ComplexityEstimated ?? false, routing?.Reason, routing?.EstimatedCost, call.Cost, routing?.FailedOver ?? [], routing?.Candidates.Count ?? 0)
                    {
                        ModelOutcomes = routing?.ChosenModelOutcomes,
                        OutcomeBandsUp = routing?.OutcomeBandsUp ?? 0,
                    },
                    call.Timestamp);
                if (recent.Count > take)
                {
                    recent.Dequeue(); // the oldest
                }
            }
        }

        var newestFirst = new List<RoutingDecisionView>(recent.Count);
        while (recent.TryDequeue(out var view, out _))
        {
            newestFirst.Add(view);
        }

        newestFirst.Reverse();
        // The verdicts come from the same events, through the statistics the router reads (brought up to date with every project).
        var outcomes = services.GetService(typeof(IModelOutcomeStatistics)) is IModelOutcomeStatistics statistics
            ? await statistics.GetReportAsync(null, cancellationToken).ConfigureAwait(false)
            : ModelOutcomeReport.Empty;
        var routingOptions = services.GetService(typeof(IOptions<VirtualItCompany.Routing.RoutingOptions>)) as IOptions<VirtualItCompany.Routing.RoutingOptions>;
        return TypedResults.Ok(new RoutingReport(newestFirst, [.. mix.Select(m => new RoutingMixLine(m.Key.Complexity, m.Key.Model, m.Value.Calls, m.Value.Cost))])
        {
            OutcomeFeedbackEnabled = routingOptions?.Value.OutcomeFeedback.Enabled ?? false,
            Outcomes = outcomes.Rates,
            Shifts = outcomes.Shifts,
        });
    }

    private static async Task<IResult> Workers(IServiceProvider services, IWorkQueue queue, CancellationToken cancellationToken)
    {
        long depth = await queue.CountAsync(cancellationToken).ConfigureAwait(false);
        var health = (services.GetService(typeof(VirtualItCompany.Runtime.WorkDispatcher)) as VirtualItCompany.Runtime.WorkDispatcher)?.GetHealth();
        string status = health switch
        {
            null => "absent",
            { Running: false } => "stopped",
            { LeaseFailures: > 0 } => "degraded",
            _ => "healthy",
        };
        return TypedResults.Ok(new WorkersView(status, depth, health));
    }

    // Reads every project's events: fine for the projects one company keeps; a large fleet would keep a cost projection instead.
    private static async Task<IResult> Costs(IDeliveryCompany company, IProjectStore store, CancellationToken cancellationToken)
    {
        var total = new Totals();
        var byProject = new SortedDictionary<string, Totals>(StringComparer.Ordinal);
        var byModel = new SortedDictionary<string, Totals>(StringComparer.Ordinal);
        var byRole = new SortedDictionary<string, Totals>(StringComparer.Ordinal);
        var byDay = new SortedDictionary<string, Totals>(StringComparer.Ordinal);
        await foreach (var project in company.ListAsync(cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            await foreach (var e in store.ReadEventsAsync(project.Id, 0, cancellationToken).ConfigureAwait(false))
            {
                if (e is not ModelCallCompleted call)
                {
                    continue;
                }

                total.Add(call);
                Of(byProject, project.Id.Value).Add(call);
                Of(byModel, call.Provider + "/" + call.ModelId).Add(call);
                Of(byRole, call.Role.ToString()).Add(call);
                Of(byDay, call.Timestamp.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).Add(call);
            }
        }

        return TypedResults.Ok(new CostReport(total.Line("total"), Lines(byProject), Lines(byModel), Lines(byRole), Lines(byDay)));
    }

    private static async Task<IResult> Queue(IDeliveryCompany company, IWorkQueue queue, CancellationToken cancellationToken)
    {
        long depth = await queue.CountAsync(cancellationToken).ConfigureAwait(false);
        var byStatus = Enum.GetNames<ProjectStatus>().ToDictionary(n => n, _ => 0, StringComparer.Ordinal);
        await foreach (var project in company.ListAsync(cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            byStatus[project.Status.ToString()]++;
        }

        return TypedResults.Ok(new QueueView(depth, byStatus));
    }

    private static Totals Of(SortedDictionary<string, Totals> map, string key)
    {
        if (!map.TryGetValue(key, out var totals))
        {
            map[key] = totals = new Totals();
        }

        return totals;
    }

    private static List<CostLine> Lines(SortedDictionary<string, Totals> map) => [.. map.Select(p => p.Value.Line(p.Key))];

    private sealed class Totals
    {
        private long _calls;
        private long _input;
        private long _output;
        private decimal _cost;

        public void Add(ModelCallCompleted call)
        {
            _calls++;
            _input += call.InputTokens;
            _output += call.OutputTokens;
            _cost += call.Cost;
        }

        public CostLine Line(string key) => new(key, _calls, _input, _output, _cost);
    }
}
