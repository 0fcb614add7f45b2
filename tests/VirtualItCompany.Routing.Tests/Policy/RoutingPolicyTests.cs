using Microsoft.Extensions.AI;

namespace VirtualItCompany.Routing.Tests.Policy;

public sealed class RoutingPolicyTests
{
    [Fact]
    public void Default_bands_follow_the_platform_matrix()
    {
        var bands = new RoutingPolicy().GetEffectiveBands();

        Assert.Equal(["1-3", "4-7", "8-10"], bands.Select(b => b.Range));
        Assert.Equal([DefaultModelIds.OllamaMistral, DefaultModelIds.OllamaCodeLlama, DefaultModelIds.ClaudeHaiku], bands[0].Models);
        Assert.Equal([DefaultModelIds.ClaudeSonnet, DefaultModelIds.Gpt4oMini], bands[1].Models);
        Assert.Equal([DefaultModelIds.ClaudeOpus, DefaultModelIds.Gpt4o], bands[2].Models);
    }

    [Fact]
    public void A_band_with_no_registered_model_is_an_error_at_start()
    {
        var fakes = Models.DefaultFakes();
        fakes.Remove(DefaultModelIds.ClaudeOpus);
        fakes.Remove(DefaultModelIds.Gpt4o);

        var error = Assert.Throws<RoutingConfigurationException>(() => Models.DefaultRouter(fakes));

        Assert.Contains("No registered model can serve complexity 8-10", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Gaps_overlaps_and_unknown_models_are_reported_together()
    {
        var options = new RoutingOptions
        {
            Policy = new RoutingPolicy
            {
                Bands =
                [
                    new RoutingBand { MinComplexity = 1, MaxComplexity = 5, Models = ["nobody/knows"] },
                    new RoutingBand { MinComplexity = 5, MaxComplexity = 9, Models = [DefaultModelIds.ClaudeHaiku] },
                ],
            },
        };

        var problems = options.GetProblems();

        Assert.Contains(problems, p => p.Contains("Complexity 5 is in both", StringComparison.Ordinal));
        var gap = new RoutingOptions { Policy = new RoutingPolicy { Bands = [new RoutingBand { MinComplexity = 1, MaxComplexity = 9, Models = ["a"] }] } };
        Assert.Contains(gap.GetProblems(), p => p.Contains("No routing band serves complexity 10", StringComparison.Ordinal));
        var unknown = new RoutingOptions { Policy = new RoutingPolicy { Bands = [new RoutingBand { Models = ["nobody/knows", "a"] }] } };
        var error = Assert.Throws<RoutingConfigurationException>(() => new CostAwareRoutingChatClient([new RoutedModel(Models.Profile("a"), new FakeModel("a"))], unknown));
        Assert.Contains("names 'nobody/knows', which is neither in the catalog nor registered", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void No_registration_at_all_is_an_error_at_start()
    {
        var error = Assert.Throws<RoutingConfigurationException>(() => new CostAwareRoutingChatClient([]));

        Assert.Contains("No model is registered", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_policy_subclass_decides_the_starting_band()
    {
        var fakes = Models.DefaultFakes();
        var router = Models.DefaultRouter(fakes, new RoutingOptions { Policy = new AlwaysPremium() });

        var response = await router.GetResponseAsync(Models.Ask("hi"), new ChatOptions().WithComplexity(1), TestContext.Current.CancellationToken);

        Assert.Equal(DefaultModelIds.ClaudeOpus, Models.DecisionOf(response).ChosenModelId);
    }

    private sealed class AlwaysPremium : RoutingPolicy
    {
        public override int SelectBand(in RoutingSignals signals, IReadOnlyList<RoutingBand> bands) => bands.Count - 1;
    }
}
