using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace VirtualItCompany.Routing.Tests.DependencyInjection;

public sealed class SetUpTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static IChatClient Build(IServiceProvider? services, IEnumerable<RoutedModel> models, RoutingOptions? options = null) =>
        CostAwareRouting.CreateBuilder().UseCostAwareRouting(models, options).Build(services);

    [Fact]
    public async Task One_model_serves_every_call_and_answers_for_its_price()
    {
        var fake = new FakeModel("solo");
        var profile = TestCatalog.Profiles[TestIds.Gpt4oMini];

        var client = Build(null, [new RoutedModel(profile, fake)]);

        var router = Assert.IsType<CostAwareRoutingChatClient>(client);
        foreach (int complexity in new[] { 1, 5, 10 })
        {
            var response = await router.GetResponseAsync(Models.Ask("hi"), new ChatOptions().WithComplexity(complexity), Ct);
            var decision = Models.DecisionOf(response);
            Assert.Equal(profile.Id, decision.ChosenModelId);
            Assert.Contains(profile.Id, decision.Reason, StringComparison.Ordinal);
        }

        Assert.Equal(3, fake.Calls);
        Assert.True(router.Company().Spent > 0m);
        Assert.Same(profile.Pricing, client.GetService<ModelPricing>());
        Assert.Same(profile.Pricing, client.GetService(typeof(ModelPricing), "whatever-id-it-reports"));
    }

    [Fact]
    public async Task One_model_is_held_to_the_project_budget_of_the_account_in_the_services()
    {
        var account = new InMemoryBudgetAccount();
        await using var services = new ServiceCollection().AddSingleton<IBudgetAccount>(account).BuildServiceProvider();
        var fake = new FakeModel("solo");
        var client = Build(services, [new RoutedModel(TestCatalog.Profiles[TestIds.ClaudeOpus], fake)]);

        var error = await Assert.ThrowsAsync<BudgetExhaustedException>(() => client.GetResponseAsync(Models.Ask("hi"), new ChatOptions().WithBudget(account, "tiny", 0.0001m), Ct));

        Assert.Equal("project:tiny", error.Scope);
        Assert.Equal(0, fake.Calls);
        Assert.Same(account, client.GetService<CostAwareRoutingChatClient>()!.Budget);
    }

    [Fact]
    public void One_model_with_bands_configured_uses_them_as_given()
    {
        var options = Models.OneBand(BandOrder.Preference, TestIds.ClaudeSonnet);

        var error = Assert.Throws<RoutingConfigurationException>(() => Build(null, [new RoutedModel(TestCatalog.Profiles[TestIds.Gpt4oMini], new FakeModel("solo"))], options));

        Assert.Contains("No registered model can serve complexity 1-10", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ForModels_gives_one_model_a_single_band_and_leaves_several_to_the_default_matrix()
    {
        var one = RoutingOptions.ForModels([TestCatalog.Profiles[TestIds.Gpt4oMini]]);
        var several = new RoutingOptions();

        Assert.Equal(TestIds.Gpt4oMini, Assert.Single(Assert.Single(one.Policy.Bands).Models));
        Assert.Same(several, RoutingOptions.ForModels([.. new[] { TestIds.Gpt4o, TestIds.Gpt4oMini }.Select(id => TestCatalog.Profiles[id])], several));
    }

    [Fact]
    public async Task Two_providers_whose_models_no_matrix_names_serve_every_complexity_by_tier_then_cost()
    {
        var models = new[] { TestIds.Gpt4o, TestIds.Gpt4oMini, TestIds.GroqLlama }.Select(id => new RoutedModel(TestCatalog.Profiles[id], new FakeModel(id))).ToList();

        using var client = Build(null, models);
        var easy = await client.GetResponseAsync(Models.Ask("hi"), new ChatOptions().WithComplexity(1), Ct);
        var hard = await client.GetResponseAsync(Models.Ask("hi"), new ChatOptions().WithComplexity(10), Ct);

        Assert.Equal(TestIds.Gpt4oMini, Models.DecisionOf(easy).ChosenModelId);
        Assert.Equal(TestIds.Gpt4o, Models.DecisionOf(hard).ChosenModelId);
    }

    [Fact]
    public void Configured_bands_without_a_registered_model_are_still_refused()
    {
        var models = new[] { TestIds.ClaudeHaiku, TestIds.ClaudeSonnet }.Select(id => new RoutedModel(TestCatalog.Profiles[id], new FakeModel(id)));
        var options = new RoutingOptions { Policy = new RoutingPolicy { Bands = [.. TestCatalog.Matrix()] } };

        var error = Assert.Throws<RoutingConfigurationException>(() => Build(null, models, options));

        Assert.Contains("No registered model can serve complexity 8-10", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_router_over_given_models_refuses_an_inner_client_it_would_never_call()
    {
        var models = TestCatalog.Profiles.Select(p => new RoutedModel(p, new FakeModel(p.ModelId))).ToList();

        var real = Assert.Throws<InvalidOperationException>(() => new ChatClientBuilder(new FakeModel("inner")).UseCostAwareRouting(models).Build());
        var after = Assert.Throws<InvalidOperationException>(() => CostAwareRouting.CreateBuilder().UseCostAwareRouting(models).UseFunctionInvocation().Build());

        Assert.Contains("CostAwareRouting.CreateBuilder()", real.Message, StringComparison.Ordinal);
        Assert.Contains("would never be called", after.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Middleware_before_the_router_wraps_it()
    {
        var fakes = Models.DefaultFakes();
        int seen = 0;

        using var client = CostAwareRouting.CreateBuilder()
            .Use((messages, options, next, ct) => { Interlocked.Increment(ref seen); return next(messages, options, ct); })
            .UseCostAwareRouting(TestCatalog.Profiles.Select(p => new RoutedModel(p, fakes[p.Id])))
            .Build();
        var response = await client.GetResponseAsync(Models.Ask("hi"), new ChatOptions().WithComplexity(2), Ct);

        Assert.Equal(1, seen);
        Assert.Equal(TestIds.OllamaMistral, Models.DecisionOf(response).ChosenModelId);
        Assert.IsType<CostAwareRoutingChatClient>(client.GetService(typeof(CostAwareRoutingChatClient)));
    }

    [Fact]
    public async Task AddModelRouting_binds_configured_options_and_the_budget_account_the_pipeline_uses()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["VirtualItCompany:Routing:GlobalBudget"] = "3",
            ["VirtualItCompany:Routing:Models:0:Id"] = TestIds.ClaudeSonnet,
            ["VirtualItCompany:Routing:Models:0:Provider"] = "anthropic",
            ["VirtualItCompany:Routing:Models:0:ModelId"] = "claude-sonnet-next",
            ["VirtualItCompany:Routing:Models:0:Pricing:InputPerMillion"] = "2",
            ["VirtualItCompany:Routing:Models:0:Pricing:OutputPerMillion"] = "10",
            ["VirtualItCompany:Routing:Models:0:QualityTier"] = "3",
        }).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration);
        var fakes = Models.DefaultFakes();
        services.AddModelRouting(o => o.TierDownThreshold = 0.9);
        await using var provider = services.BuildServiceProvider();
        var options = provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<RoutingOptions>>().Value;

        var client = Build(provider, TestCatalog.Profiles.Select(p => new RoutedModel(p, fakes[p.Id])), options);

        var router = Assert.IsType<CostAwareRoutingChatClient>(client);
        Assert.Same(provider.GetRequiredService<IBudgetAccount>(), router.Budget);
        Assert.Equal(0.9, options.TierDownThreshold);
        Assert.Equal(3m, router.Company().Limit);
        Assert.Equal(2m, Assert.IsType<ModelPricing>(router.GetService(typeof(ModelPricing), "claude-sonnet-next")).InputPerMillion);
        var response = await router.GetResponseAsync(Models.Ask("hi"), new ChatOptions().WithComplexity(5), Ct);

        // The override's price ($12 per million in and out) now ranks it before GPT-4o ($12.50) in the mid tier.
        Assert.Equal(TestIds.ClaudeSonnet, Models.DecisionOf(response).ChosenModelId);
        Assert.Equal("claude-sonnet-next", Assert.Single(fakes[TestIds.ClaudeSonnet].SeenOptions)!.ModelId);
    }

    [Fact]
    public async Task Configured_models_and_bands_are_read_whole_and_once()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["VirtualItCompany:Routing:Models:0:Id"] = "local/small",
            ["VirtualItCompany:Routing:Models:0:Provider"] = "ollama",
            ["VirtualItCompany:Routing:Models:0:ModelId"] = "small",
            ["VirtualItCompany:Routing:Models:0:Pricing:InputPerMillion"] = "0.5",
            ["VirtualItCompany:Routing:Models:0:Pricing:OutputPerMillion"] = "1.25",
            ["VirtualItCompany:Routing:Models:0:Pricing:CachedInputPerMillion"] = "0.1",
            ["VirtualItCompany:Routing:Models:0:ContextWindow"] = "32000",
            ["VirtualItCompany:Routing:Models:0:MaxOutputTokens"] = "2048",
            ["VirtualItCompany:Routing:Models:0:Capabilities"] = "Tools, JsonSchema",
            ["VirtualItCompany:Routing:Models:0:QualityTier"] = "1",
            ["VirtualItCompany:Routing:Models:0:TypicalLatency"] = "00:00:00.500",
            ["VirtualItCompany:Routing:Models:0:IsLocal"] = "true",
            ["VirtualItCompany:Routing:Policy:Bands:0:MinComplexity"] = "1",
            ["VirtualItCompany:Routing:Policy:Bands:0:MaxComplexity"] = "10",
            ["VirtualItCompany:Routing:Policy:Bands:0:Order"] = "CheapestFirst",
            ["VirtualItCompany:Routing:Policy:Bands:0:Models:0"] = "local/small",
        }).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration);
        services.AddModelRouting();
        await using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<RoutingOptions>>().Value;

        var model = Assert.Single(options.Models);
        Assert.Equal(
            new ModelProfile
            {
                Id = "local/small", Provider = "ollama", ModelId = "small", Pricing = new ModelPricing(0.5m, 1.25m, 0.1m), ContextWindow = 32_000, MaxOutputTokens = 2_048,
                Capabilities = ModelCapabilities.Tools | ModelCapabilities.JsonSchema, QualityTier = 1, TypicalLatency = TimeSpan.FromMilliseconds(500), IsLocal = true,
            },
            model);
        var band = Assert.Single(options.Policy.Bands);
        Assert.Equal((1, 10, BandOrder.CheapestFirst), (band.MinComplexity, band.MaxComplexity, band.Order));
        Assert.Equal(["local/small"], band.Models);
    }

    [Fact]
    public void A_configured_value_that_is_not_a_number_names_its_key()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["VirtualItCompany:Routing:Models:0:Id"] = "a",
            ["VirtualItCompany:Routing:Models:0:ContextWindow"] = "big",
        }).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration);
        services.AddModelRouting();
        using var provider = services.BuildServiceProvider();

        var error = Assert.ThrowsAny<Exception>(() => provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<RoutingOptions>>().Value);

        Assert.Contains("ContextWindow", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_configuration_fails_with_every_problem()
    {
        var services = new ServiceCollection();
        services.AddModelRouting(o =>
        {
            o.GlobalBudget = -5m;
            o.InFlightReservationWait = TimeSpan.FromSeconds(-1);
            o.Models.Add(Models.Profile("b", input: -1m));
        });
        using var provider = services.BuildServiceProvider();

        var error = Assert.ThrowsAny<Exception>(() => provider.GetRequiredService<IBudgetAccount>());

        Assert.Contains("GlobalBudget is -5", error.Message, StringComparison.Ordinal);
        Assert.Contains("InFlightReservationWait is -00:00:01", error.Message, StringComparison.Ordinal);
        Assert.Contains("negative price", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UseCostAwareRouting_on_a_chat_client_builder_routes_among_the_inner_client_and_the_others()
    {
        var fakes = Models.DefaultFakes();
        var haiku = TestCatalog.Profiles[TestIds.ClaudeHaiku];
        var others = TestCatalog.Profiles.Where(p => p.Id != haiku.Id).Select(p => new RoutedModel(p, fakes[p.Id]));

        using var client = new ChatClientBuilder(fakes[haiku.Id]).UseCostAwareRouting(haiku, others).Build();
        var response = await client.GetResponseAsync(Models.Ask("Summarise this."), new ChatOptions().WithComplexity(2), TestContext.Current.CancellationToken);

        var decision = Models.DecisionOf(response);
        Assert.Equal(TestIds.OllamaMistral, decision.ChosenModelId);
        Assert.IsType<CostAwareRoutingChatClient>(client.GetService(typeof(CostAwareRoutingChatClient)));
    }
}
