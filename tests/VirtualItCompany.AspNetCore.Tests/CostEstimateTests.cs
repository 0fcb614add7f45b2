using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace VirtualItCompany.AspNetCore.Tests;

/// <summary>The cost estimate of a brief before it is submitted: from the lifecycle's stages and the registered model profiles, said to be an estimate, storing nothing.</summary>
public sealed class CostEstimateTests : IAsyncLifetime
{
    // The offline model is free, so a priced profile is registered beside it (its client is never called: the estimate calls no model).
    private static readonly ModelProfile Dear = new() { Id = "test/dear", Provider = "test", ModelId = "dear", Pricing = new ModelPricing(10m, 30m) };

    private readonly WebHostFactory _factory = new();
    private readonly Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> _host;

    public CostEstimateTests() =>
        _host = _factory.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton(new ModelRegistration(Dear, _ => throw new InvalidOperationException("The estimate must not call a model.")))));

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        await _factory.DisposeAsync();
    }

    private HttpClient Alice()
    {
        var http = _host.CreateClient();
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Tokens.Valid("alice", "client"));
        return http;
    }

    [Fact]
    public async Task An_estimate_covers_every_working_stage_names_the_models_says_it_is_an_estimate_and_submits_nothing()
    {
        var ct = TestContext.Current.CancellationToken;
        var alice = Alice();

        var response = await alice.PostAsJsonAsync("/api/projects/estimate", new { title = "Recipe box", description = "A recipe box.", acceptanceCriteria = new[] { "It lists recipes.", "It searches." }, budget = 5m }, ct);
        var estimate = await response.Content.ReadFromJsonAsync<CostEstimateView>(ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("An estimate, not a quote", estimate!.Note, StringComparison.Ordinal);
        var working = VirtualItCompany.Lifecycle.LifecycleDefinition.Default.Stages.Where(s => s.Roles.Count > 0 && !VirtualItCompany.Lifecycle.LifecycleDefinition.Default.TerminalStages.Contains(s.Stage)).Select(s => s.Stage.Value);
        Assert.Equal(working, estimate.Stages.Select(s => s.Stage));
        Assert.Equal(2, estimate.AssumedFeatures);
        Assert.Equal(2, estimate.Stages.Single(s => s.Stage == "FeatureDevelopment").Calls); // the fan-out stage: one call per assumed feature
        Assert.Contains("test/dear", estimate.Models);
        Assert.Contains(estimate.Models, m => m != "test/dear"); // the offline model, free
        // One stage worked out by hand: the project manager, no files, 1,500 + brief/4 prompt tokens and 800 answer tokens, at the dear model's prices.
        long input = 1_500 + (("Recipe box".Length + "A recipe box.".Length + "It lists recipes.".Length + "It searches.".Length) / 4);
        var requirements = estimate.Stages.Single(s => s.Stage == "RequirementsAnalysis");
        Assert.Equal(Math.Round(((input * 10m) + (800 * 30m)) / 1_000_000m, 4, MidpointRounding.AwayFromZero), requirements.High);
        // The project manager's complexity (4) is routed in the band of quality tiers 3, then 2 (the default bands are made from the
        // registered tiers): the dear model (tier 2) qualifies and the free offline model (tier 1) does not, so both ends are its price.
        Assert.Equal(requirements.High, requirements.Low);
        Assert.True(estimate.High > 0);
        Assert.True(estimate.Low <= estimate.High);
        Assert.Equal(estimate.Stages.Sum(s => s.Low), estimate.Low);
        Assert.Equal(5m, estimate.Budget);
        Assert.Equal(estimate.High <= 5m, estimate.WithinBudget);
        Assert.Equal(0, (await alice.GetFromJsonAsync<ProjectPage>("/api/projects", ct))!.Total);
    }

    [Fact]
    public async Task A_larger_brief_is_estimated_higher_and_a_bad_one_is_refused()
    {
        var ct = TestContext.Current.CancellationToken;
        var alice = Alice();
        var small = await (await alice.PostAsJsonAsync("/api/projects/estimate", new { title = "Small", description = "A page." }, ct)).Content.ReadFromJsonAsync<CostEstimateView>(ct);
        var large = await (await alice.PostAsJsonAsync("/api/projects/estimate", new { title = "Large", description = new string('x', 20_000), acceptanceCriteria = Enumerable.Range(1, 8).Select(i => $"Criterion {i}.").ToArray() }, ct)).Content.ReadFromJsonAsync<CostEstimateView>(ct);
        var bad = await alice.PostAsJsonAsync("/api/projects/estimate", new { title = "", description = "" }, ct);

        Assert.True(large!.High > small!.High, $"large {large.High}, small {small.High}");
        Assert.Equal(8, large.AssumedFeatures);
        Assert.Null(small.WithinBudget);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }
}
