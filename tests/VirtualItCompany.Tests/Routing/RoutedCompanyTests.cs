using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using VirtualItCompany.Routing;
using VirtualItCompany.Runtime;
using VirtualItCompany.Testing;

namespace VirtualItCompany.Tests.Routing;

/// <summary>The company with several models: every call is routed, priced by the model that answered, explained, and kept within the project's budget.</summary>
public sealed class RoutedCompanyTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Test models across the tiers: two local and free, a cheap, a mid and a premium paid one (the router ships no vendor's models).</summary>
    private static readonly ModelCatalog Models = new(
    [
        Profile("local/small", "small", ModelPricing.Free, tier: 1, local: true),
        Profile("local/coder", "coder", ModelPricing.Free, tier: 1, local: true, ModelCapabilities.Code),
        Profile("paid/cheap", "cheap-1", new(0.15m, 0.60m), tier: 2),
        Profile("paid/mid", "mid-1", new(3m, 15m), tier: 3),
        Profile("paid/premium", "premium-1", new(15m, 75m), tier: 4),
    ]);

    private static ModelProfile Profile(string id, string modelId, ModelPricing pricing, int tier, bool local = false, ModelCapabilities extra = ModelCapabilities.None) => new()
    {
        Id = id, Provider = id.Split('/')[0], ModelId = modelId, Pricing = pricing, QualityTier = tier, IsLocal = local,
        ContextWindow = 128_000, MaxOutputTokens = 8_192, Capabilities = ModelCapabilities.Tools | ModelCapabilities.JsonSchema | extra,
    };

    private static ServiceProvider Company(out Dictionary<string, FakeChatClient> models, bool paidOnly = false)
    {
        var services = new ServiceCollection();
        var builder = services.AddVirtualItCompany(o =>
        {
            o.Workers = 2;
            o.PollInterval = TimeSpan.FromMilliseconds(50);
        });
        services.AddSingleton<IWorkspaceProvider>(new InMemoryWorkspaceProvider());
        models = [];
        foreach (var profile in Models.Where(p => !paidOnly || !p.IsLocal))
        {
            var fake = new FakeChatClient(profile.ModelId, profile.Pricing);
            models[profile.Id] = fake;
            builder.AddModel(profile, _ => fake);
        }

        foreach (var agent in ForwardAgent.ForAllRoles())
        {
            builder.AddAgent(agent);
        }

        return services.BuildServiceProvider();
    }

    [Fact]
    public async Task With_several_models_each_call_is_routed_explained_and_priced_by_the_model_that_answered()
    {
        await using var sp = Company(out var models);
        var company = sp.GetRequiredService<IDeliveryCompany>();
        using var stop = new CancellationTokenSource();
        var workers = sp.GetRequiredService<WorkDispatcher>().RunAsync(stop.Token);

        var project = await company.SubmitAsync(new ProjectBrief { Title = "Shop", Description = "A small shop.", AcceptanceCriteria = ["sells"], Budget = 5m }, Ct);
        var events = await company.WatchAsync(project.Id, cancellationToken: Ct).ToListAsync(Ct);

        var calls = events.OfType<ModelCallCompleted>().ToList();
        Assert.NotEmpty(calls);
        Assert.All(calls, c => Assert.NotNull(c.Routing));
        Assert.All(calls, c => Assert.False(string.IsNullOrWhiteSpace(c.Routing!.Reason)));
        foreach (var call in calls)
        {
            var profile = Models[call.Routing!.ChosenModelId];
            Assert.Equal(profile.ModelId, call.ModelId);
            Assert.Equal(profile.Pricing.CostOf(new UsageDetails { InputTokenCount = call.InputTokens, OutputTokenCount = call.OutputTokens }), call.Cost);
        }

        Assert.Equal(calls.Count, models.Values.Sum(m => m.Calls));
        Assert.IsType<ProjectCompleted>(events[^1]);
        await stop.CancelAsync();
        await workers;
    }

    [Fact]
    public async Task A_budget_no_model_fits_pauses_the_project_for_the_client_and_added_budget_lets_it_finish()
    {
        await using var sp = Company(out _, paidOnly: true);
        var company = sp.GetRequiredService<IDeliveryCompany>();
        using var stop = new CancellationTokenSource();
        var workers = sp.GetRequiredService<WorkDispatcher>().RunAsync(stop.Token);

        // Too little for even one worst-case call of the models the bands allow.
        var project = await company.SubmitAsync(new ProjectBrief { Title = "Shop", Description = "A small shop.", AcceptanceCriteria = ["sells"], Budget = 0.00001m }, Ct);
        var seen = new List<ProjectEvent>();
        await foreach (var e in company.WatchAsync(project.Id, cancellationToken: Ct))
        {
            seen.Add(e);
            if (e is ClientInputRequested { Kind: ClientInputKind.Budget } ask)
            {
                Assert.True(ask.BudgetShortfall > 0);
                await company.AddBudgetAsync(project.Id, 10m, Ct);
            }
        }

        var done = await company.GetAsync(project.Id, Ct);
        Assert.Equal(ProjectStatus.Completed, done.Status);
        Assert.Contains(seen, e => e is BudgetIncreased);
        Assert.True(done.Spent <= done.Brief.Budget, $"spent {done.Spent} of {done.Brief.Budget}");
        await stop.CancelAsync();
        await workers;
    }
}
