using System.Globalization;

namespace VirtualItCompany.Routing;

/// <summary>The sentences of a routing decision; the common reasons are built once per router (in its <see cref="RouteTable"/>, since they name its models) and reused.</summary>
internal static class DecisionText
{
    private const int MaxCachedReasons = 4_096;
    private static readonly string?[] MissingTexts = new string?[64];

    public static string? Rejection(in RankedCandidate candidate, ModelProfile profile, in RoutingSignals signals) => candidate.Rejection switch
    {
        Routing.Rejection.None => null,
        Routing.Rejection.MissingCapabilities => MissingText(candidate.Missing),
        Routing.Rejection.ContextTooSmall => string.Create(CultureInfo.InvariantCulture, $"context too small: about {signals.ExpectedPromptTokens} prompt tokens plus {candidate.OutputTokens} output tokens exceed its {profile.ContextWindow}-token window"),
        Routing.Rejection.CircuitOpen => "unhealthy: its circuit is open (cooling down after failures)",
        Routing.Rejection.OverBudget => "over budget: its worst-case cost exceeds what is left of the budget",
        Routing.Rejection.Failed => candidate.FailureText ?? "failed before any output",
        _ => candidate.Rejection.ToString(),
    };

    public static string Reason(RouteTable table, ModelEntry chosen, int band, int startBand, in RoutingSignals signals, int failovers, int retries)
    {
        ulong key = (uint)chosen.Index
            | ((ulong)(uint)band << 16)
            | ((ulong)(uint)startBand << 24)
            | ((ulong)(uint)signals.Complexity << 32)
            | ((signals.ComplexityEstimated ? 1UL : 0) << 40)
            | ((signals.Attempt > 0 ? 1UL : 0) << 41)
            | ((signals.NearBudgetLimit ? 1UL : 0) << 42)
            | ((signals.LatencyCritical ? 1UL : 0) << 43)
            | ((ulong)(uint)signals.PreferredCapability << 44)
            | ((ulong)(uint)Math.Min(failovers, 255) << 52)
            | ((ulong)(uint)Math.Min(retries, 15) << 60);
        bool cacheable = failovers < 255 && retries < 15;
        if (cacheable && table.Reasons.TryGetValue(key, out var reason))
        {
            return reason;
        }

        reason = Build(table, chosen, band, startBand, signals, failovers, retries);
        if (cacheable && table.Reasons.Count < MaxCachedReasons)
        {
            table.Reasons.TryAdd(key, reason);
        }

        return reason;
    }

    private static string Build(RouteTable table, ModelEntry chosen, int band, int startBand, in RoutingSignals signals, int failovers, int retries)
    {
        var text = new System.Text.StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"complexity {signals.Complexity} ({(signals.ComplexityEstimated ? "estimated" : "given")})");
        if (signals.Attempt > 0)
        {
            text.Append(", one band up (the work item failed before)");
        }

        if (signals.NearBudgetLimit)
        {
            text.Append(CultureInfo.InvariantCulture, $", one band down (budget past {table.Options.TierDownThreshold:P0} spent)");
        }

        text.Append(CultureInfo.InvariantCulture, $"; band {table.Bands[startBand].Range}");
        if (band != startBand)
        {
            text.Append(CultureInfo.InvariantCulture, $", no model there could take it, so band {table.Bands[band].Range}");
        }

        string how = signals.LatencyCritical ? "fastest qualifying (latency-critical)"
            : table.Bands[band].Order == BandOrder.CheapestFirst ? "cheapest qualifying"
            : "first qualifying in the band's preference order";
        text.Append(CultureInfo.InvariantCulture, $": {chosen.Profile.Id} is the {how}");
        if (signals.PreferredCapability != ModelCapabilities.None)
        {
            text.Append(CultureInfo.InvariantCulture, $", preferring {signals.PreferredCapability} models");
        }

        if (failovers > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $", after {failovers} failed model(s)");
        }

        if (retries > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $", with {retries} retried attempt(s), each charged to the budget");
        }

        return text.ToString();
    }

    private static string MissingText(ModelCapabilities missing)
    {
        int index = (int)missing & 63;
        return MissingTexts[index] ??= $"cannot do what the call needs: {missing}";
    }
}
