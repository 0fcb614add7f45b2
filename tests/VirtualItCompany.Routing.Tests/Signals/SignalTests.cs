using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;
using Polly.CircuitBreaker;

namespace VirtualItCompany.Routing.Tests.Signals;

public sealed class SignalTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly Dictionary<string, FakeModel> _fakes = Models.DefaultFakes();
    private readonly InMemoryBudgetAccount _budget = new();

    private async Task<RoutingDecision> RouteAsync(ChatOptions options, string prompt = "Say hello.", IEnumerable<ChatMessage>? messages = null, RoutingOptions? routing = null)
    {
        var router = Models.DefaultRouter(_fakes, routing, _budget);
        var response = await router.GetResponseAsync(messages ?? Models.Ask(prompt), options, Ct);
        return Models.DecisionOf(response);
    }

    [Theory]
    [InlineData(1, TestIds.OllamaMistral)]
    [InlineData(3, TestIds.OllamaMistral)]
    [InlineData(4, TestIds.ClaudeSonnet)]
    [InlineData(7, TestIds.ClaudeSonnet)]
    [InlineData(8, TestIds.ClaudeOpus)]
    [InlineData(10, TestIds.ClaudeOpus)]
    public async Task Given_complexity_picks_the_first_model_of_its_band(int complexity, string expected)
    {
        var decision = await RouteAsync(new ChatOptions().WithComplexity(complexity));

        Assert.Equal(expected, decision.ChosenModelId);
        Assert.Equal(complexity, decision.Complexity);
        Assert.False(decision.ComplexityEstimated);
    }

    [Fact]
    public async Task Missing_complexity_is_estimated_and_marked_so()
    {
        var decision = await RouteAsync(new ChatOptions(), "Design the security architecture of a distributed payment system.");

        Assert.True(decision.ComplexityEstimated);
        Assert.InRange(decision.Complexity, 4, 10);
        Assert.Contains("(estimated)", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_replaced_estimator_is_used()
    {
        var router = new CostAwareRoutingChatClient(TestCatalog.Profiles.Select(p => new RoutedModel(p, _fakes[p.Id])), complexityEstimator: new Fixed(9));

        var response = await router.GetResponseAsync(Models.Ask("hi"), null, Ct);

        Assert.Equal(TestIds.ClaudeOpus, Models.DecisionOf(response).ChosenModelId);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(11)]
    [InlineData(-3)]
    public async Task Complexity_outside_1_to_10_is_refused_with_a_clear_error(int complexity)
    {
        var fromExtension = Assert.Throws<ArgumentOutOfRangeException>(() => new ChatOptions().WithComplexity(complexity));
        Assert.Contains("must be 1 (trivial) to 10 (hardest)", fromExtension.Message, StringComparison.Ordinal);

        var options = new ChatOptions { AdditionalProperties = new() { [AgentChatTags.Complexity] = complexity } };
        var fromTag = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => RouteAsync(options));
        Assert.Contains($"is {complexity}; it must be 1 (trivial) to 10", fromTag.Message, StringComparison.Ordinal);
        Assert.All(_fakes.Values, f => Assert.Equal(0, f.Calls));
    }

    [Fact]
    public async Task Code_work_prefers_code_capable_models()
    {
        var decision = await RouteAsync(new ChatOptions().WithComplexity(2).WithSpecialization(Specializations.Code));

        Assert.Equal(TestIds.OllamaCodeLlama, decision.ChosenModelId);
    }

    [Fact]
    public async Task Analysis_prefers_strong_reasoners()
    {
        var options = new RoutingOptions { Policy = new RoutingPolicy { Bands = [new RoutingBand { Models = [TestIds.Gpt4oMini, TestIds.Gpt4o] }] } };

        var decision = await RouteAsync(new ChatOptions().WithComplexity(5).WithSpecialization(Specializations.Analysis), routing: options);

        Assert.Equal(TestIds.Gpt4o, decision.ChosenModelId);
    }

    [Fact]
    public async Task Specialization_is_inferred_from_the_prompt_when_not_tagged()
    {
        var decision = await RouteAsync(new ChatOptions().WithComplexity(2), "Refactor this function:\n```csharp\nint F() => 1;\n```");

        Assert.Equal(TestIds.OllamaCodeLlama, decision.ChosenModelId);
    }

    [Fact]
    public async Task Latency_critical_calls_take_the_fastest_qualifying_model()
    {
        var decision = await RouteAsync(new ChatOptions().WithComplexity(2).WithLatencyCritical());

        Assert.Equal(TestIds.ClaudeHaiku, decision.ChosenModelId);
        Assert.Contains("fastest", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tools_require_a_tool_capable_model()
    {
        var options = new ChatOptions { Tools = [AIFunctionFactory.Create(() => "ok", "lookup")] }.WithComplexity(2).WithSpecialization(Specializations.Code);

        var decision = await RouteAsync(options);

        var codeLlama = Assert.Single(decision.Candidates, c => c.ModelId == TestIds.OllamaCodeLlama);
        Assert.Contains("Tools", codeLlama.Rejection, StringComparison.Ordinal);
        Assert.NotEqual(TestIds.OllamaCodeLlama, decision.ChosenModelId);
    }

    [Fact]
    public async Task A_json_schema_requires_a_structured_output_model()
    {
        var schema = JsonDocument.Parse("""{"type":"object","properties":{"a":{"type":"string"}}}""").RootElement;
        var options = new ChatOptions { ResponseFormat = ChatResponseFormat.ForJsonSchema(schema, "answer") }.WithComplexity(1);

        var decision = await RouteAsync(options);

        Assert.Equal(TestIds.ClaudeHaiku, decision.ChosenModelId);
        Assert.Contains("JsonSchema", decision.Candidates[0].Rejection, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Images_require_a_vision_model()
    {
        ChatMessage[] messages = [new(ChatRole.User, [new TextContent("What is this?"), new DataContent(new byte[] { 1, 2, 3 }, "image/png")])];

        var decision = await RouteAsync(new ChatOptions().WithComplexity(2), messages: messages);

        Assert.Equal(TestIds.ClaudeHaiku, decision.ChosenModelId);
    }

    [Fact]
    public async Task A_prompt_too_large_for_the_context_window_skips_the_model()
    {
        string big = new('x', 120_000); // about 40K tokens: more than Mistral's 32K window

        var decision = await RouteAsync(new ChatOptions().WithComplexity(1), big);

        Assert.Contains("context too small", decision.Candidates.Single(c => c.ModelId == TestIds.OllamaMistral).Rejection, StringComparison.Ordinal);
        Assert.Equal(TestIds.ClaudeHaiku, decision.ChosenModelId);
    }

    [Fact]
    public async Task An_open_circuit_takes_the_model_out_of_routing_until_its_cool_down_ends()
    {
        var time = new FakeTimeProvider();
        var fakes = new Dictionary<string, FakeModel> { ["a"] = new("a") { FailOnCall = _ => new TimeoutException() }, ["b"] = new("b") };
        var options = Models.OneBand(BandOrder.Preference, "a", "b");
        options.Resilience.MaxRetryAttempts = 0;
        var router = new CostAwareRoutingChatClient([new RoutedModel(Models.Profile("a"), fakes["a"]), new RoutedModel(Models.Profile("b"), fakes["b"])], options, timeProvider: time);

        for (int i = 0; i < 4; i++)
        {
            await router.GetResponseAsync(Models.Ask("hi"), null, Ct);
        }

        int callsWhenOpened = fakes["a"].Calls;
        var decision = Models.DecisionOf(await router.GetResponseAsync(Models.Ask("hi"), null, Ct));
        Assert.Equal(callsWhenOpened, fakes["a"].Calls);
        Assert.Contains("circuit is open", decision.Candidates[0].Rejection, StringComparison.Ordinal);

        time.Advance(options.Resilience.BreakDuration + TimeSpan.FromSeconds(1));
        fakes["a"].FailOnCall = _ => null;
        decision = Models.DecisionOf(await router.GetResponseAsync(Models.Ask("hi"), null, Ct));
        Assert.Equal("a", decision.ChosenModelId);
    }

    [Fact]
    public async Task A_work_item_that_failed_before_is_routed_one_band_up()
    {
        var decision = await RouteAsync(new ChatOptions().WithComplexity(2).WithAttempt(1));

        Assert.Equal(TestIds.ClaudeSonnet, decision.ChosenModelId);
        Assert.Contains("one band up", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Past_80_percent_of_the_budget_routing_moves_one_band_down()
    {
        var decision = await RouteAsync(new ChatOptions().WithComplexity(9).WithBudget(_budget, "p1", limit: 10m, spent: 8.5m));

        Assert.Equal(TestIds.ClaudeSonnet, decision.ChosenModelId);
        Assert.Contains("one band down", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_no_qualifying_model_fits_the_budget_the_call_fails_with_the_amount_needed()
    {
        var options = new ChatOptions().WithComplexity(9).WithBudget(_budget, "p1", limit: 0.04m, spent: 0m);

        var error = await Assert.ThrowsAsync<BudgetExhaustedException>(() => RouteAsync(options));

        Assert.Equal("project:p1", error.Scope);
        // GPT-4o's worst case: the prompt's byte bound at $2.50/M plus 4096 output tokens at $10/M.
        Assert.InRange(error.Needed, 0.04096m, 0.0411m);
        Assert.Equal(0.04m, error.Remaining);
        Assert.All(_fakes.Values, f => Assert.Equal(0, f.Calls));
    }

    [Fact]
    public async Task The_untyped_budget_tags_are_ignored_the_call_context_names_the_project()
    {
        var options = new ChatOptions { AdditionalProperties = new() { [AgentChatTags.ProjectId] = "p", ["vic.budget_limit"] = -1m, ["vic.budget_spent"] = 5m } };

        var decision = await RouteAsync(options.WithComplexity(5));

        Assert.Equal(TestIds.ClaudeSonnet, decision.ChosenModelId);
        Assert.Equal(new BudgetBalance(BudgetScope.ForProject(new ProjectId("p")), null, 0m, 0m), _budget.Project("p"));
    }

    [Fact]
    public async Task A_work_item_whose_context_says_it_was_tried_before_is_routed_one_band_up()
    {
        var decision = await RouteAsync(TestBudgets.Context(previousAttempts: 1).AttachTo(new ChatOptions().WithComplexity(2)));

        Assert.Equal(TestIds.ClaudeSonnet, decision.ChosenModelId);
        Assert.Contains("one band up", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_router_caps_output_at_what_it_reserved_and_asks_for_the_models_own_id()
    {
        await RouteAsync(new ChatOptions { MaxOutputTokens = 100_000 }.WithComplexity(5));

        var seen = Assert.Single(_fakes[TestIds.ClaudeSonnet].SeenOptions);
        Assert.Equal(64_000, seen!.MaxOutputTokens);
        Assert.Equal("claude-sonnet-4-5", seen.ModelId);
    }

    private sealed class Fixed(int complexity) : IComplexityEstimator
    {
        public int Estimate(IReadOnlyList<ChatMessage> messages, ChatOptions? options) => complexity;
    }
}
