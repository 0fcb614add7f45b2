using Microsoft.Extensions.AI;

namespace VirtualItCompany.Routing.Tests;

/// <summary>Profiles and routers for tests.</summary>
internal static class Models
{
    public static ModelProfile Profile(
        string id,
        decimal input = 1m,
        decimal output = 2m,
        int tier = 2,
        ModelCapabilities capabilities = ModelCapabilities.Tools | ModelCapabilities.JsonSchema,
        double latencySeconds = 2,
        int contextWindow = 128_000,
        int maxOutput = 4_096) => new()
        {
            Id = id,
            Provider = "test",
            ModelId = id + "-model",
            Pricing = new ModelPricing(input, output),
            QualityTier = tier,
            Capabilities = capabilities,
            TypicalLatency = TimeSpan.FromSeconds(latencySeconds),
            ContextWindow = contextWindow,
            MaxOutputTokens = maxOutput,
        };

    /// <summary>Every model of the test catalog, each with a fake client.</summary>
    public static Dictionary<string, FakeModel> DefaultFakes() => TestCatalog.Profiles.ToDictionary(p => p.Id, p => new FakeModel(p.ModelId));

    /// <summary>A router over the faked test models; options without bands (and the plain policy) route through <see cref="TestCatalog.Matrix"/>.</summary>
    public static CostAwareRoutingChatClient DefaultRouter(Dictionary<string, FakeModel> fakes, RoutingOptions? options = null, IBudgetAccount? budget = null, TimeProvider? time = null)
    {
        options ??= new RoutingOptions();
        if (options.Policy is { Bands.Count: 0 } policy && policy.GetType() == typeof(RoutingPolicy))
        {
            options = options.WithPolicy(new RoutingPolicy { Bands = [.. TestCatalog.Matrix()] });
        }

        return new(TestCatalog.Profiles.Where(p => fakes.ContainsKey(p.Id)).Select(p => new RoutedModel(p, fakes[p.Id])), options, budget, time);
    }

    public static ChatMessage[] Ask(string text) => [new ChatMessage(ChatRole.User, text)];

    public static RoutingDecision DecisionOf(ChatResponse response) => Assert.IsType<RoutingDecision>(response.AdditionalProperties?[RoutingDecision.PropertyKey]);

    /// <summary>A band covering 1-10 over the given models.</summary>
    public static RoutingOptions OneBand(BandOrder order, params string[] ids) => new()
    {
        Policy = new RoutingPolicy { Bands = [new RoutingBand { MinComplexity = 1, MaxComplexity = 10, Order = order, Models = [.. ids] }] },
    };
}
