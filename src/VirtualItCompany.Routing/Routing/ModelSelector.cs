namespace VirtualItCompany.Routing;

/// <summary>Ranks the models of a band for one call: no allocation, no LINQ; the router's hot path.</summary>
/// <remarks>
/// Each candidate gets one 64-bit sort key: the preferred-capability miss, then the band's order (position, worst-case
/// cost in nano-dollars, or typical latency for latency-critical calls), then the band position as tie-break.
/// </remarks>
internal static class ModelSelector
{
    private const long PrimaryCap = (1L << 53) - 1;

    /// <summary>Evaluates the band's models not yet seen into <paramref name="into"/> (in band order) with their sort keys in <paramref name="keys"/>.</summary>
    public static int EvaluateBand(RouteTable table, int band, in RoutingSignals signals, long remainingBudget, Span<RankedCandidate> into, Span<long> keys, Span<ulong> seen)
    {
        int[] members = table.BandModels[band];
        bool cheapest = table.Bands[band].Order == BandOrder.CheapestFirst;
        bool latencyCritical = signals.LatencyCritical;
        var preferred = signals.PreferredCapability;
        var required = signals.RequiredCapabilities;
        long promptBound = signals.PromptTokenBound;
        long expectedPrompt = signals.ExpectedPromptTokens;
        int requestedOutput = signals.RequestedOutputTokens;
        var models = table.Models;
        int count = 0;
        for (int p = 0; p < members.Length; p++)
        {
            int m = members[p];
            ulong bit = 1UL << (m & 63);
            ref ulong word = ref seen[m >> 6];
            if ((word & bit) != 0)
            {
                continue;
            }

            word |= bit;
            var entry = models[m];
            int output = Math.Min(requestedOutput, entry.MaxOutputTokens);
            // A prompt the router cannot size is reserved as the model's whole context window: the worst case.
            long cost = CostUnits.Estimate(signals.PromptUnbounded ? Math.Max(promptBound, entry.ContextWindow) : promptBound, output, entry.InputPerToken, entry.OutputPerToken);
            var missing = required & ~entry.Capabilities;
            Rejection rejection =
                missing != 0 ? Rejection.MissingCapabilities
                : expectedPrompt + output > entry.ContextWindow ? Rejection.ContextTooSmall
                : !entry.Health.IsAvailable() ? Rejection.CircuitOpen
                : cost > remainingBudget ? Rejection.OverBudget
                : Rejection.None;
            long miss = preferred != 0 && (entry.Capabilities & preferred) == 0 ? 1 : 0;
            long primary = Math.Min(latencyCritical ? entry.LatencyTicks : cheapest ? cost : p, PrimaryCap);
            keys[count] = latencyCritical ? (primary << 9) | (miss << 8) | (long)count : (miss << 62) | (primary << 8) | (long)count;
            ref var c = ref into[count++];
            c.Model = m;
            c.OutputTokens = output;
            c.Cost = cost;
            c.Rejection = rejection;
            c.Missing = missing;
            c.FailureText = null;
        }

        return count;
    }

    /// <summary>Sorts the keys of a band, best first (insertion sort: bands are small); each key's low 8 bits index the candidate.</summary>
    public static void Sort(Span<long> keys)
    {
        for (int i = 1; i < keys.Length; i++)
        {
            long key = keys[i];
            int j = i - 1;
            while (j >= 0 && keys[j] > key)
            {
                keys[j + 1] = keys[j];
                j--;
            }

            keys[j + 1] = key;
        }
    }

    /// <summary>The first model that can take the call, from <paramref name="startBand"/> upwards, without reserving; -1 when none.</summary>
    public static int SelectFirst(RouteTable table, in RoutingSignals signals, int startBand, long remainingBudget, Span<RankedCandidate> buffer, Span<long> keys, Span<ulong> seen)
    {
        for (int band = startBand; band < table.Bands.Length; band++)
        {
            int count = EvaluateBand(table, band, signals, remainingBudget, buffer, keys, seen);
            long best = long.MaxValue;
            for (int i = 0; i < count; i++)
            {
                if (buffer[i].Rejection == Rejection.None && keys[i] < best)
                {
                    best = keys[i];
                }
            }

            if (best != long.MaxValue)
            {
                return buffer[(int)(best & 0xFF)].Model;
            }
        }

        return -1;
    }
}
