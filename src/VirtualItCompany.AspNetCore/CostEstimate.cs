using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using VirtualItCompany.Lifecycle;
using VirtualItCompany.Routing;
using VirtualItCompany.Runtime;

namespace VirtualItCompany.AspNetCore;

/// <summary>What one stage of the lifecycle is estimated to cost.</summary>
/// <param name="Stage">The stage.</param>
/// <param name="Roles">The roles that work in it.</param>
/// <param name="Calls">The model calls assumed (a fan-out stage: one per assumed feature).</param>
/// <param name="Low">The estimate with the cheapest model the router could pick for each call, in US dollars.</param>
/// <param name="High">The estimate with the dearest such model.</param>
public sealed record StageCostEstimate(string Stage, IReadOnlyList<string> Roles, int Calls, decimal Low, decimal High);

/// <summary>An estimate, not a quote, of what a brief would cost in model calls, from the lifecycle's stages and the router's model profiles.</summary>
/// <param name="Low">The low end, in US dollars: every stage once, the cheapest model of each call's band.</param>
/// <param name="High">The high end: the dearest model of each call's band, and every stage once more (a review loop or a retry).</param>
/// <param name="Budget">The brief's budget, if it has one.</param>
/// <param name="WithinBudget">Whether the high end fits the budget (<see langword="null"/> without a budget).</param>
/// <param name="AssumedFeatures">How many features the fan-out stages were assumed to build (the acceptance criteria, 1 to 10).</param>
/// <param name="Stages">The estimate by stage (one pass).</param>
/// <param name="Models">The models considered (the registered profiles).</param>
/// <param name="Note">What the figures rest on; read it.</param>
public sealed record CostEstimateView(decimal Low, decimal High, decimal? Budget, bool? WithinBudget, int AssumedFeatures, IReadOnlyList<StageCostEstimate> Stages, IReadOnlyList<string> Models, string Note);

/// <summary>
/// Estimates a brief's cost before it is submitted: for each stage of the company's lifecycle, one model call per role (a
/// fan-out stage, per assumed feature), each with the complexity hint the built-in agents give for the role, priced with
/// the cheapest and the dearest registered model of the routing band that complexity falls in, at assumed token counts.
/// </summary>
internal static class CostEstimator
{
    private const string Note =
        "An estimate, not a quote: real costs depend on what the models answer, how many features the plan finds, review " +
        "loops, retries and the client's own requests. Assumes per call about 1,500 prompt tokens plus the brief (4 characters " +
        "a token; 3,000 more where files are written) and 800 to 2,000 answer tokens; the complexity per role is the built-in " +
        "agents' hint. The high end also assumes every stage runs twice. Spending is capped by the project's budget whatever this says.";

    // The built-in agents' complexity hints (VirtualItCompany/Agents) and whether the role writes files.
    private static readonly Dictionary<AgentRole, (int Complexity, bool WritesFiles)> Roles = new()
    {
        [AgentRole.ProjectManager] = (4, false),
        [AgentRole.Designer] = (5, false),
        [AgentRole.Developer] = (6, true),
        [AgentRole.CodeReviewer] = (6, false),
        [AgentRole.Tester] = (5, true),
        [AgentRole.DevOps] = (4, true),
    };

    public static CostEstimateView Estimate(ProjectBrief brief, IServiceProvider services)
    {
        var lifecycle = services.GetService<IOptions<CompanyOptions>>()?.Value.Lifecycle ?? LifecycleDefinition.Default;
        var routing = services.GetService<IOptions<RoutingOptions>>()?.Value ?? new RoutingOptions();
        var profiles = services.GetServices<ModelRegistration>().Select(r => r.Profile).ToList();
        if (profiles.Count == 0)
        {
            profiles = [.. routing.Models];
        }

        var bands = routing.Policy.GetEffectiveBands(profiles);
        int features = Math.Clamp(brief.AcceptanceCriteria.Count, 1, 10);
        long briefTokens = (brief.Title.Length + brief.Description.Length + brief.AcceptanceCriteria.Sum(c => c.Length)) / 4;
        var stages = new List<StageCostEstimate>();
        foreach (var stage in lifecycle.Stages)
        {
            if (lifecycle.TerminalStages.Contains(stage.Stage) || stage.Roles.Count == 0)
            {
                continue;
            }

            int perRole = stage.FanOut is null ? 1 : features;
            decimal low = 0, high = 0;
            foreach (var role in stage.Roles)
            {
                var (complexity, writes) = Roles.TryGetValue(role, out var hint) ? hint : (5, false);
                long input = 1_500 + briefTokens + (writes ? 3_000 : 0);
                long output = writes ? 2_000 : 800;
                var (cheap, dear) = PriceRange(BandModels(complexity, bands, profiles), input, output);
                low += cheap * perRole;
                high += dear * perRole;
            }

            stages.Add(new StageCostEstimate(stage.Stage.Value, [.. stage.Roles.Select(r => r.ToString())], perRole * stage.Roles.Count, Round(low), Round(high)));
        }

        decimal totalLow = Round(stages.Sum(s => s.Low));
        decimal totalHigh = Round(stages.Sum(s => s.High) * 2);
        return new CostEstimateView(totalLow, totalHigh, brief.Budget, brief.Budget is { } budget ? totalHigh <= budget : null, features, stages, [.. profiles.Select(p => p.Id)], Note);
    }

    // The registered models of the band the complexity falls in; all registered models when the band names none of them.
    private static List<ModelProfile> BandModels(int complexity, IReadOnlyList<RoutingBand> bands, List<ModelProfile> profiles)
    {
        var band = bands.FirstOrDefault(b => complexity >= b.MinComplexity && complexity <= b.MaxComplexity);
        var named = band is null ? [] : profiles.Where(p => band.Models.Contains(p.Id, StringComparer.OrdinalIgnoreCase)).ToList();
        return named.Count > 0 ? named : profiles;
    }

    private static (decimal Low, decimal High) PriceRange(List<ModelProfile> models, long input, long output)
    {
        if (models.Count == 0)
        {
            return (0, 0);
        }

        var prices = models.Select(m => ((input * m.Pricing.InputPerMillion) + (output * m.Pricing.OutputPerMillion)) / 1_000_000m).ToList();
        return (prices.Min(), prices.Max());
    }

    private static decimal Round(decimal value) => Math.Round(value, 4, MidpointRounding.AwayFromZero);

    public static async Task<IResult> Endpoint(HttpContext http, IOptions<VirtualItCompanyApiOptions> options)
    {
        var read = await JsonBody.ReadAsync(http, ApiJsonContext.Default.BriefRequest, options.Value.MaxRequestBodyBytes, optional: false).ConfigureAwait(false);
        if (read.Error is not null)
        {
            return read.Error;
        }

        var request = read.Value!;
        var brief = request.ToBrief(Ownership.UserId(http.User) ?? "estimate");
        if (brief.GetProblems() is { Count: > 0 } problems)
        {
            return Problems.InvalidBrief(problems);
        }

        return TypedResults.Ok(Estimate(brief, http.RequestServices));
    }
}
