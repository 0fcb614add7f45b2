using Microsoft.Extensions.AI;

namespace VirtualItCompany.Routing.Tests.Policy;

public sealed class RoutingPolicyTests
{
    [Fact]
    public void Default_bands_are_made_from_the_registered_profiles_tiers_local_first_then_cheapest()
    {
        var bands = new RoutingPolicy().GetEffectiveBands(TestCatalog.Profiles);

        Assert.Equal(["1-3", "4-7", "8-10"], bands.Select(b => b.Range));
        Assert.Equal([TestIds.OllamaMistral, TestIds.OllamaCodeLlama, TestIds.Gpt4oMini, TestIds.GroqLlama, TestIds.ClaudeHaiku], bands[0].Models);
        Assert.Equal([TestIds.Gpt4o, TestIds.ClaudeSonnet, TestIds.Gpt4oMini, TestIds.GroqLlama, TestIds.ClaudeHaiku], bands[1].Models);
        Assert.Equal([TestIds.ClaudeOpus, TestIds.Gpt4o, TestIds.ClaudeSonnet], bands[2].Models);
        Assert.All(bands, b => Assert.Equal(BandOrder.Preference, b.Order));
    }

    [Fact]
    public void A_default_band_whose_tiers_are_missing_takes_the_nearest_tier_present()
    {
        var local = RoutingPolicy.CreateDefaultBands([TestCatalog.Profiles[TestIds.OllamaMistral], TestCatalog.Profiles[TestIds.OllamaCodeLlama]]);
        var premium = RoutingPolicy.CreateDefaultBands([TestCatalog.Profiles[TestIds.ClaudeOpus], TestCatalog.Profiles[TestIds.Gpt4oMini]]);

        Assert.All(local, b => Assert.Equal([TestIds.OllamaMistral, TestIds.OllamaCodeLlama], b.Models));
        Assert.Equal([TestIds.Gpt4oMini], premium[0].Models);
        Assert.Equal([TestIds.Gpt4oMini], premium[1].Models);
        Assert.Equal([TestIds.ClaudeOpus], premium[2].Models);
        Assert.Empty(new RoutingPolicy().GetProblems());
    }

    [Fact]
    public async Task The_default_matrix_routes_by_complexity_over_registered_models_without_naming_any()
    {
        var fakes = Models.DefaultFakes();
        using var router = new CostAwareRoutingChatClient(TestCatalog.Profiles.Select(p => new RoutedModel(p, fakes[p.Id])));
        var ct = TestContext.Current.CancellationToken;

        var easy = Models.DecisionOf(await router.GetResponseAsync(Models.Ask("hi"), new ChatOptions().WithComplexity(2), ct));
        var mid = Models.DecisionOf(await router.GetResponseAsync(Models.Ask("hi"), new ChatOptions().WithComplexity(5), ct));
        var hard = Models.DecisionOf(await router.GetResponseAsync(Models.Ask("hi"), new ChatOptions().WithComplexity(9), ct));

        Assert.Equal(TestIds.OllamaMistral, easy.ChosenModelId);
        Assert.Equal(TestIds.Gpt4o, mid.ChosenModelId);
        Assert.Equal(TestIds.ClaudeOpus, hard.ChosenModelId);
    }

    [Fact]
    public void A_band_with_no_registered_model_is_an_error_at_start()
    {
        var fakes = Models.DefaultFakes();
        fakes.Remove(TestIds.ClaudeOpus);
        fakes.Remove(TestIds.Gpt4o);

        var error = Assert.Throws<RoutingConfigurationException>(() => Models.DefaultRouter(fakes));

        Assert.Contains("No registered model can serve complexity 8-10", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Gaps_overlaps_and_bands_of_unregistered_models_are_reported()
    {
        var options = new RoutingOptions
        {
            Policy = new RoutingPolicy
            {
                Bands =
                [
                    new RoutingBand { MinComplexity = 1, MaxComplexity = 5, Models = ["nobody/knows"] },
                    new RoutingBand { MinComplexity = 5, MaxComplexity = 9, Models = [TestIds.ClaudeHaiku] },
                ],
            },
        };

        var problems = options.GetProblems();

        Assert.Contains(problems, p => p.Contains("Complexity 5 is in both", StringComparison.Ordinal));
        var gap = new RoutingOptions { Policy = new RoutingPolicy { Bands = [new RoutingBand { MinComplexity = 1, MaxComplexity = 9, Models = ["a"] }] } };
        Assert.Contains(gap.GetProblems(), p => p.Contains("No routing band serves complexity 10", StringComparison.Ordinal));
        var unknown = new RoutingOptions { Policy = new RoutingPolicy { Bands = [new RoutingBand { Models = ["nobody/knows"] }] } };
        var error = Assert.Throws<RoutingConfigurationException>(() => new CostAwareRoutingChatClient([new RoutedModel(Models.Profile("a"), new FakeModel("a"))], unknown));
        Assert.Contains("its band names nobody/knows, and none of them is registered (registered: a). Check their spelling", error.Message, StringComparison.Ordinal);
        var skipped = new RoutingOptions { Policy = new RoutingPolicy { Bands = [new RoutingBand { Models = ["nobody/knows", "a"] }] } };
        using var router = new CostAwareRoutingChatClient([new RoutedModel(Models.Profile("a"), new FakeModel("a"))], skipped);
        Assert.NotNull(router);
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

        Assert.Equal(TestIds.ClaudeOpus, Models.DecisionOf(response).ChosenModelId);
    }

    private sealed class AlwaysPremium : RoutingPolicy
    {
        public override int SelectBand(in RoutingSignals signals, IReadOnlyList<RoutingBand> bands) => bands.Count - 1;
    }
}
