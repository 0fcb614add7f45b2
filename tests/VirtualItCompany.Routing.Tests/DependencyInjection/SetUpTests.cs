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
    public async Task One_registration_gives_that_model_answering_for_its_price()
    {
        using var services = new ServiceCollection().BuildServiceProvider();
        var fake = new FakeModel("solo");
        var profile = ModelCatalog.Default[DefaultModelIds.Gpt4oMini];

        var client = CostAwareRouting.CreateChatClient(services, [Registration(profile, fake)])!;
        await client.GetResponseAsync(Models.Ask("hi"), null, Ct);

        Assert.IsNotType<CostAwareRoutingChatClient>(client);
        Assert.Same(profile.Pricing, client.GetService<ModelPricing>());
        Assert.Same(profile.Pricing, client.GetService(typeof(ModelPricing), "whatever-id-it-reports"));
        Assert.Equal(1, fake.Calls);
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
