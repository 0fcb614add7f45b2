using Microsoft.Extensions.Configuration;

namespace VirtualItCompany.Routing.Tests.Catalog;

public sealed class ModelCatalogTests
{
    [Fact]
    public void Negative_prices_are_rejected_with_every_problem_listed()
    {
        var bad = Models.Profile("x/bad", input: -1m) with { ContextWindow = 0 };

        var error = Assert.Throws<RoutingConfigurationException>(() => new ModelCatalog([bad]));

        Assert.Contains(error.Problems, p => p.Contains("negative price", StringComparison.Ordinal));
        Assert.Contains(error.Problems, p => p.Contains("ContextWindow 0", StringComparison.Ordinal));
    }

    [Fact]
    public void Repeated_ids_are_rejected()
    {
        var error = Assert.Throws<RoutingConfigurationException>(() => new ModelCatalog([Models.Profile("a"), Models.Profile("A")]));

        Assert.Contains("more than once", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Overrides_replace_profiles_with_an_existing_id_and_add_new_ones()
    {
        var cheaper = TestCatalog.Profiles[TestIds.Gpt4oMini] with { Pricing = new ModelPricing(0.1m, 0.4m) };

        var catalog = TestCatalog.Profiles.With([cheaper, Models.Profile("acme/new")]);

        Assert.Equal(TestCatalog.Profiles.Count + 1, catalog.Count);
        Assert.Equal(0.1m, catalog[TestIds.Gpt4oMini].Pricing.InputPerMillion);
        Assert.True(catalog.TryGet("acme/new", out _));
        Assert.Equal(0.15m, TestCatalog.Profiles[TestIds.Gpt4oMini].Pricing.InputPerMillion);
    }

    [Fact]
    public void Options_bind_catalog_overrides_and_policy_from_configuration()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["VirtualItCompany:Routing:GlobalBudget"] = "25",
            ["VirtualItCompany:Routing:Models:0:Id"] = TestIds.Gpt4oMini,
            ["VirtualItCompany:Routing:Models:0:Provider"] = "openai",
            ["VirtualItCompany:Routing:Models:0:ModelId"] = "gpt-4o-mini",
            ["VirtualItCompany:Routing:Models:0:Pricing:InputPerMillion"] = "0.1",
            ["VirtualItCompany:Routing:Models:0:Pricing:OutputPerMillion"] = "0.4",
            ["VirtualItCompany:Routing:Models:0:Capabilities"] = "Tools, JsonSchema",
            ["VirtualItCompany:Routing:Policy:Bands:0:MinComplexity"] = "1",
            ["VirtualItCompany:Routing:Policy:Bands:0:MaxComplexity"] = "10",
            ["VirtualItCompany:Routing:Policy:Bands:0:Order"] = "CheapestFirst",
            ["VirtualItCompany:Routing:Policy:Bands:0:Models:0"] = TestIds.Gpt4oMini,
        }).Build();
        var options = new RoutingOptions();

        configuration.GetSection(RoutingOptions.SectionName).Bind(options);

        Assert.Empty(options.GetProblems());
        Assert.Equal(25m, options.GlobalBudget);
        var profile = Assert.Single(options.Models);
        Assert.Equal(0.4m, profile.Pricing.OutputPerMillion);
        Assert.Equal(ModelCapabilities.Tools | ModelCapabilities.JsonSchema, profile.Capabilities);
        var band = Assert.Single(options.Policy.GetEffectiveBands([]));
        Assert.Equal(BandOrder.CheapestFirst, band.Order);
    }

    [Fact]
    public void Invalid_options_list_every_problem_at_once()
    {
        var options = new RoutingOptions { TierDownThreshold = 1.5, DefaultMaxOutputTokens = 0, GlobalBudget = -1m };
        options.Resilience.MinimumThroughput = 1;

        var problems = options.GetProblems();

        Assert.Equal(4, problems.Count);
        Assert.Contains(problems, p => p.StartsWith("GlobalBudget is -1", StringComparison.Ordinal));
    }
}
