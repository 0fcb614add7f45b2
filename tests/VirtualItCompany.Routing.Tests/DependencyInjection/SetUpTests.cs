using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace VirtualItCompany.Routing.Tests.DependencyInjection;

public sealed class SetUpTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static ModelRegistration Registration(ModelProfile profile, FakeModel fake) => new(profile, _ => fake);

    [Fact]
    public void No_registration_gives_no_client()
    {
        using var services = new ServiceCollection().BuildServiceProvider();

        Assert.Null(CostAwareRouting.CreateChatClient(services, []));
    }

    [Fact]
    public async Task One_registration_gives_a_router_where_that_model_serves_every_call_and_answers_for_its_price()
    {
        using var services = new ServiceCollection().BuildServiceProvider();
        var fake = new FakeModel("solo");
        var profile = ModelCatalog.Default[DefaultModelIds.Gpt4oMini];

        var client = CostAwareRouting.CreateChatClient(services, [Registration(profile, fake)])!;

        var router = Assert.IsType<CostAwareRoutingChatClient>(client);
        foreach (int complexity in new[] { 1, 5, 10 })
        {
            var response = await router.GetResponseAsync(Models.Ask("hi"), new ChatOptions().WithComplexity(complexity), Ct);
            var decision = Models.DecisionOf(response);
            Assert.Equal(profile.Id, decision.ChosenModelId);
            Assert.Contains(profile.Id, decision.Reason, StringComparison.Ordinal);
        }

        Assert.Equal(3, fake.Calls);
        Assert.True(router.Ledger.Global.Spent > 0m);
        Assert.Same(profile.Pricing, client.GetService<ModelPricing>());
        Assert.Same(profile.Pricing, client.GetService(typeof(ModelPricing), "whatever-id-it-reports"));
    }

    [Fact]
    public async Task One_registration_is_held_to_the_project_budget()
    {
        using var services = new ServiceCollection().BuildServiceProvider();
        var fake = new FakeModel("solo");
        var profile = ModelCatalog.Default[DefaultModelIds.ClaudeOpus];
        var client = CostAwareRouting.CreateChatClient(services, [Registration(profile, fake)])!;

        var error = await Assert.ThrowsAsync<BudgetExhaustedException>(() => client.GetResponseAsync(Models.Ask("hi"), new ChatOptions().WithBudget("tiny", 0.0001m), Ct));

        Assert.Equal("project:tiny", error.Scope);
        Assert.Equal(0, fake.Calls);
    }

    [Fact]
    public void One_registration_with_bands_configured_uses_them_as_given()
    {
        using var services = new ServiceCollection().BuildServiceProvider();
        var options = Models.OneBand(BandOrder.Preference, DefaultModelIds.ClaudeSonnet);

        var error = Assert.Throws<RoutingConfigurationException>(() => CostAwareRouting.CreateChatClient(services, [Registration(ModelCatalog.Default[DefaultModelIds.Gpt4oMini], new FakeModel("solo"))], options));

        Assert.Contains("No registered model can serve complexity 1-10", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_registrations_keep_the_default_bands_and_refuse_a_band_without_a_model()
    {
        using var services = new ServiceCollection().BuildServiceProvider();
        var registrations = new[] { DefaultModelIds.ClaudeHaiku, DefaultModelIds.ClaudeSonnet }.Select(id => Registration(ModelCatalog.Default[id], new FakeModel(id)));

        var error = Assert.Throws<RoutingConfigurationException>(() => CostAwareRouting.CreateChatClient(services, registrations));

        Assert.Contains("No registered model can serve complexity 8-10", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void More_registrations_give_the_router()
    {
        using var services = new ServiceCollection().BuildServiceProvider();
        var registrations = ModelCatalog.Default.Select(p => Registration(p, new FakeModel(p.ModelId)));

        Assert.IsType<CostAwareRoutingChatClient>(CostAwareRouting.CreateChatClient(services, registrations));
    }

    [Fact]
    public async Task UseCostAwareRouting_makes_the_router_THE_chat_client_with_configured_overrides()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["VirtualItCompany:Routing:GlobalBudget"] = "3",
            ["VirtualItCompany:Routing:Models:0:Id"] = DefaultModelIds.ClaudeSonnet,
            ["VirtualItCompany:Routing:Models:0:Provider"] = "anthropic",
            ["VirtualItCompany:Routing:Models:0:ModelId"] = "claude-sonnet-next",
            ["VirtualItCompany:Routing:Models:0:Pricing:InputPerMillion"] = "2",
            ["VirtualItCompany:Routing:Models:0:Pricing:OutputPerMillion"] = "10",
        }).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration);
        services.AddSingleton<IChatClient>(new FakeModel("replaced"));
        var fakes = Models.DefaultFakes();
        foreach (var profile in ModelCatalog.Default)
        {
            services.AddSingleton(Registration(profile, fakes[profile.Id]));
        }

        services.UseCostAwareRouting(o => o.TierDownThreshold = 0.9);
        await using var provider = services.BuildServiceProvider();

        var router = Assert.IsType<CostAwareRoutingChatClient>(provider.GetRequiredService<IChatClient>());
        Assert.Equal(3m, router.Ledger.Global.Limit);
        Assert.Equal(2m, Assert.IsType<ModelPricing>(router.GetService(typeof(ModelPricing), "claude-sonnet-next")).InputPerMillion);
        await router.GetResponseAsync(Models.Ask("hi"), new ChatOptions().WithComplexity(5), Ct);
        Assert.Equal("claude-sonnet-next", Assert.Single(fakes[DefaultModelIds.ClaudeSonnet].SeenOptions)!.ModelId);
    }

    [Fact]
    public void Invalid_configuration_fails_with_every_problem()
    {
        var services = new ServiceCollection();
        services.AddSingleton(Registration(Models.Profile("a"), new FakeModel("a")));
        services.UseCostAwareRouting(o =>
        {
            o.GlobalBudget = -5m;
            o.Models.Add(Models.Profile("b", input: -1m));
        });
        using var provider = services.BuildServiceProvider();

        var error = Assert.ThrowsAny<Exception>(() => provider.GetRequiredService<IChatClient>());

        Assert.Contains("GlobalBudget is -5", error.Message, StringComparison.Ordinal);
        Assert.Contains("negative price", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UseCostAwareRouting_on_a_chat_client_builder_routes_among_the_inner_client_and_the_others()
    {
        var fakes = Models.DefaultFakes();
        var haiku = ModelCatalog.Default[DefaultModelIds.ClaudeHaiku];
        var others = ModelCatalog.Default.Where(p => p.Id != haiku.Id).Select(p => new RoutedModel(p, fakes[p.Id]));

        using var client = new ChatClientBuilder(fakes[haiku.Id]).UseCostAwareRouting(haiku, others).Build();
        var response = await client.GetResponseAsync(Models.Ask("Summarise this."), new ChatOptions().WithComplexity(2), TestContext.Current.CancellationToken);

        var decision = Models.DecisionOf(response);
        Assert.Equal(DefaultModelIds.OllamaMistral, decision.ChosenModelId);
        Assert.IsType<CostAwareRoutingChatClient>(client.GetService(typeof(CostAwareRoutingChatClient)));
    }
}
