using FsCheck;
using FsCheck.Fluent;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;

namespace VirtualItCompany.Routing.Tests.Routing;

public sealed class RoutingProperties
{
    private const int Overhead = 8;
    private const int ImageTokens = 2_000;

    private sealed record Scenario(ModelProfile[] Profiles, FakeModel[] Fakes, string Prompt, bool Image, int RequestedOutput)
    {
        public ChatMessage[] Messages => Image
            ? [new ChatMessage(ChatRole.User, [new TextContent(Prompt), new DataContent(new byte[] { 1 }, "image/png")])]
            : Models.Ask(Prompt);

        /// <summary>The call's worst-case cost on a model, computed independently of the router.</summary>
        public decimal WorstCase(ModelProfile p) =>
            ((Prompt.Length + Overhead + (Image ? ImageTokens : 0)) * p.Pricing.InputPerMillion + Math.Min(RequestedOutput, p.MaxOutputTokens) * p.Pricing.OutputPerMillion) / 1_000_000m;

        public bool Qualifies(ModelProfile p) =>
            (!Image || p.Capabilities.HasFlag(ModelCapabilities.Vision))
            && (Prompt.Length + 2) / 3 + Overhead + (Image ? ImageTokens : 0) + Math.Min(RequestedOutput, p.MaxOutputTokens) <= p.ContextWindow;
    }

    private static Scenario RandomScenario(int seed)
    {
        var random = new Random(seed);
        int count = 1 + random.Next(12);
        var profiles = Enumerable.Range(0, count).Select(i => Models.Profile(
            $"m{i}",
            input: random.Next(0, 3_000) / 100m,
            output: random.Next(0, 9_000) / 100m,
            capabilities: random.Next(2) == 0 ? ModelCapabilities.Vision : ModelCapabilities.None,
            latencySeconds: random.Next(1, 10),
            contextWindow: 4_096 * (1 + random.Next(8)),
            maxOutput: 256 * (1 + random.Next(16)))).ToArray();
        var fakes = profiles.Select(p => new FakeModel(p.Id)).ToArray();
        return new Scenario(profiles, fakes, new string('w', random.Next(1, 60_000)), random.Next(3) == 0, 128 * (1 + random.Next(40)));
    }

    private static CostAwareRoutingChatClient Router(Scenario s, BandOrder order, TimeProvider? time = null) =>
        new(s.Profiles.Zip(s.Fakes, (p, f) => new RoutedModel(p, f)), Models.OneBand(order, [.. s.Profiles.Select(p => p.Id)]), timeProvider: time);

    [FsCheck.Xunit.Property(MaxTest = 300)]
    public async Task<bool> Cheapest_first_chooses_the_cheapest_qualifying_model_Meets_Specification(PositiveInt seed)
    {
        var s = RandomScenario(seed.Get);
        var router = Router(s, BandOrder.CheapestFirst);
        var qualifying = s.Profiles.Where(s.Qualifies).ToList();
        var options = new ChatOptions { MaxOutputTokens = s.RequestedOutput }.WithComplexity(5);
        if (qualifying.Count == 0)
        {
            await Assert.ThrowsAsync<ModelRoutingException>(() => router.GetResponseAsync(s.Messages, options));
            return s.Fakes.All(f => f.Calls == 0);
        }

        var decision = Models.DecisionOf(await router.GetResponseAsync(s.Messages, options));
        var chosen = s.Profiles.Single(p => p.Id == decision.ChosenModelId);
        decimal cheapest = qualifying.Min(s.WorstCase);
        return s.Qualifies(chosen) && Math.Abs(s.WorstCase(chosen) - cheapest) <= 0.000000002m;
    }

    [FsCheck.Xunit.Property(MaxTest = 300)]
    public async Task<bool> Preference_order_chooses_the_first_qualifying_model_Meets_Specification(PositiveInt seed)
    {
        var s = RandomScenario(seed.Get);
        var router = Router(s, BandOrder.Preference);
        var first = s.Profiles.FirstOrDefault(s.Qualifies);
        var options = new ChatOptions { MaxOutputTokens = s.RequestedOutput }.WithComplexity(5);
        if (first is null)
        {
            await Assert.ThrowsAsync<ModelRoutingException>(() => router.GetResponseAsync(s.Messages, options));
            return true;
        }

        var decision = Models.DecisionOf(await router.GetResponseAsync(s.Messages, options));
        return decision.ChosenModelId == first.Id && decision.Candidates[^1].ModelId == first.Id && decision.Candidates.Take(decision.Candidates.Count - 1).All(c => c.Rejection is not null);
    }

    [FsCheck.Xunit.Property(MaxTest = 200)]
    public async Task<bool> An_open_circuit_gets_zero_calls_Meets_Specification(PositiveInt seed)
    {
        var random = new Random(seed.Get);
        int count = 2 + random.Next(6);
        var time = new FakeTimeProvider();
        var fakes = Enumerable.Range(0, count).Select(i => new FakeModel($"m{i}")).ToArray();
        var profiles = fakes.Select(f => Models.Profile(f.ModelId, input: random.Next(1, 10))).ToArray();
        var options = Models.OneBand(random.Next(2) == 0 ? BandOrder.CheapestFirst : BandOrder.Preference, [.. profiles.Select(p => p.Id)]);
        options.Resilience.MaxRetryAttempts = 0;
        var router = new CostAwareRoutingChatClient(profiles.Zip(fakes, (p, f) => new RoutedModel(p, f)), options, timeProvider: time);
        var broken = fakes.Where(_ => random.Next(2) == 0).Take(count - 1).ToHashSet();
        foreach (var fake in broken)
        {
            fake.FailOnCall = _ => new HttpRequestException("down", null, System.Net.HttpStatusCode.ServiceUnavailable);
        }

        // Open the broken models' circuits: enough failures within the sampling window.
        for (int i = 0; i < 10 * count; i++)
        {
            await router.GetResponseAsync(Models.Ask("warm up"), new ChatOptions().WithComplexity(3));
        }

        var callsWhenOpen = broken.ToDictionary(f => f, f => f.Calls);
        for (int i = 0; i < 20; i++)
        {
            var decision = Models.DecisionOf(await router.GetResponseAsync(Models.Ask("go"), new ChatOptions().WithComplexity(random.Next(1, 11))));
            if (broken.Any(f => decision.ChosenModelId == f.ModelId))
            {
                return false;
            }
        }

        return broken.All(f => f.Calls == callsWhenOpen[f]);
    }

    [FsCheck.Xunit.Property(MaxTest = 200)]
    public async Task<bool> Fallback_never_duplicates_streamed_output_Meets_Specification(PositiveInt seed)
    {
        var random = new Random(seed.Get);
        int count = 1 + random.Next(5);
        var fakes = Enumerable.Range(0, count).Select(i => new FakeModel($"m{i}")
        {
            Chunks = [.. Enumerable.Range(0, 1 + random.Next(5)).Select(c => $"<m{i}.{c}>")],
            // Some fail before any output, some break mid-stream, some succeed.
            FailOnCall = random.Next(3) == 0 ? _ => new TimeoutException() : _ => null,
        }).ToArray();
        foreach (var fake in fakes.Where(_ => random.Next(3) == 0))
        {
            fake.BreakStreamAfter = random.Next(1, fake.Chunks.Length + 1);
        }

        var options = Models.OneBand(BandOrder.Preference, [.. fakes.Select(f => f.ModelId)]);
        options.Resilience.MaxRetryAttempts = 0;
        var router = new CostAwareRoutingChatClient(fakes.Select(f => new RoutedModel(Models.Profile(f.ModelId), f)), options);
        var text = new System.Text.StringBuilder();
        Exception? failure = null;
        try
        {
            await foreach (var update in router.GetStreamingResponseAsync(Models.Ask("stream"), new ChatOptions().WithComplexity(4)))
            {
                text.Append(update.Text);
            }
        }
        catch (Exception ex)
        {
            failure = ex;
        }

        string output = text.ToString();
        var sources = fakes.Where(f => output.Contains($"<{f.ModelId}.", StringComparison.Ordinal)).ToList();
        if (output.Length == 0)
        {
            return failure is not null; // every model failed before output
        }

        if (sources.Count != 1)
        {
            return false; // output from two models: a silent switch
        }

        string full = string.Concat(sources[0].Chunks);
        bool brokeMidStream = sources[0].BreakStreamAfter > 0 && sources[0].BreakStreamAfter < sources[0].Chunks.Length + 1 && sources[0].BreakStreamAfter <= sources[0].Chunks.Length - 1;
        return failure is null ? output == full : full.StartsWith(output, StringComparison.Ordinal) && (brokeMidStream || sources[0].BreakStreamAfter >= 0);
    }
}
