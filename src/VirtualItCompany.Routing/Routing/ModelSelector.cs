namespace VirtualItCompany.Routing;

/// <summary>Ranks the models of a band for one call: no allocation, no LINQ; the router's hot path.</summary>
internal static class ModelSelector
{
    /// <summary>Evaluates the band's models not yet seen into <paramref name="into"/>, ranked best first (rejected ones keep their rank).</summary>
    public static int RankBand(RouteTable table, int band, in RoutingSignals signals, long remainingBudget, Span<RankedCandidate> into, Span<ulong> seen)
    {
        int[] members = table.BandModels[band];
        bool cheapest = table.Bands[band].Order == BandOrder.CheapestFirst;
        var models = table.Models;
        int count = 0;
        for (int p = 0; p < members.Length; p++)
        {
            int m = members[p];
            ulong bit = 1UL << (m & 63);
            if ((seen[m >> 6] & bit) != 0)
            {
                continue;
            }

            seen[m >> 6] |= bit;
            var entry = models[m];
            var profile = entry.Profile;
            int output = Math.Min(signals.RequestedOutputTokens, profile.MaxOutputTokens);
            long cost = CostUnits.Estimate(signals.PromptTokenBound, output, entry.InputPerToken, entry.OutputPerToken);
            var missing = signals.RequiredCapabilities & ~entry.Capabilities;
            Rejection rejection =
                missing != 0 ? Rejection.MissingCapabilities
                : signals.ExpectedPromptTokens + output > profile.ContextWindow ? Rejection.ContextTooSmall
                : !entry.Health.IsAvailable() ? Rejection.CircuitOpen
                : cost > remainingBudget ? Rejection.OverBudget
                : Rejection.None;
            ref var c = ref into[count++];
            c.Model = m;
            c.Position = p;
            c.OutputTokens = output;
            c.Cost = cost;
            c.Rejection = rejection;
            c.Missing = missing;
            c.FailureText = null;
            c.SpecialityMiss = (byte)(signals.PreferredCapability != 0 && (entry.Capabilities & signals.PreferredCapability) == 0 ? 1 : 0);
            c.Primary = signals.LatencyCritical ? entry.LatencyTicks : cheapest ? cost : p;
        }

        // Insertion sort: bands are small, and this keeps ties in band order.
        for (int i = 1; i < count; i++)
        {
            var item = into[i];
            int j = i - 1;
            while (j >= 0 && Before(in item, in into[j], signals.LatencyCritical))
            {
                into[j + 1] = into[j];
                j--;
            }

            into[j + 1] = item;
        }

        return count;
    }

    /// <summary>The first model that can take the call, from <paramref name="startBand"/> upwards, without reserving; -1 when none.</summary>
    public static int SelectFirst(RouteTable table, in RoutingSignals signals, int startBand, long remainingBudget, Span<RankedCandidate> buffer, Span<ulong> seen)
    {
        for (int band = startBand; band < table.Bands.Length; band++)
        {
            int count = RankBand(table, band, signals, remainingBudget, buffer, seen);
            for (int i = 0; i < count; i++)
            {
                if (buffer[i].Rejection == Rejection.None)
                {
                    return buffer[i].Model;
                }
            }
        }

        return -1;
    }

    private static bool Before(in RankedCandidate a, in RankedCandidate b, bool latencyCritical)
    {
        if (latencyCritical && a.Primary != b.Primary)
        {
            return a.Primary < b.Primary;
        }

        if (a.SpecialityMiss != b.SpecialityMiss)
        {
            return a.SpecialityMiss < b.SpecialityMiss;
        }

        if (a.Primary != b.Primary)
        {
            return a.Primary < b.Primary;
        }

        return a.Position < b.Position;
    }
}
