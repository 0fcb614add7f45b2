using System.Diagnostics;
using Microsoft.Extensions.AI;

namespace VirtualItCompany.Routing.Tests.Routing;

public sealed class ExplainabilityTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Every_response_explains_the_candidates_the_choice_and_the_estimated_cost()
    {
        var fakes = Models.DefaultFakes();
        var router = Models.DefaultRouter(fakes);
        var options = new ChatOptions { Tools = [AIFunctionFactory.Create(() => 1, "t")] }.WithComplexity(2).WithSpecialization(Specializations.Code);

        var decision = Models.DecisionOf(await router.GetResponseAsync(Models.Ask("fix the bug"), options, Ct));

        Assert.Equal(TestIds.ClaudeHaiku, decision.ChosenModelId);
        Assert.Equal([TestIds.OllamaCodeLlama, TestIds.ClaudeHaiku], decision.Candidates.Select(c => c.ModelId));
        Assert.NotNull(decision.Candidates[0].Rejection);
        Assert.Null(decision.Candidates[1].Rejection);
        Assert.True(decision.EstimatedCost > 0m);
        Assert.Contains("band 1-3", decision.Reason, StringComparison.Ordinal);
        Assert.Empty(decision.FailedOver);
    }

    [Fact]
    public async Task Pricing_profile_and_metadata_answer_for_provider_ids_catalog_ids_and_reported_ids()
    {
        var fakes = Models.DefaultFakes();
        fakes[TestIds.Gpt4oMini].ReportedModelId = "gpt-4o-mini-2024-07-18";
        var router = Models.DefaultRouter(fakes, Models.OneBand(BandOrder.Preference, TestIds.Gpt4oMini, TestIds.Gpt4o));
        var response = await router.GetResponseAsync(Models.Ask("hi"), null, Ct);

        Assert.Equal(0.15m, Assert.IsType<ModelPricing>(router.GetService(typeof(ModelPricing), response.ModelId)).InputPerMillion);
        Assert.Equal(2.50m, Assert.IsType<ModelPricing>(router.GetService(typeof(ModelPricing), "gpt-4o")).InputPerMillion);
        Assert.Equal(TestIds.Gpt4o, Assert.IsType<ModelProfile>(router.GetService(typeof(ModelProfile), TestIds.Gpt4o)).Id);
        Assert.Equal("openai", Assert.IsType<ChatClientMetadata>(router.GetService(typeof(ChatClientMetadata), "gpt-4o")).ProviderName);
        Assert.Null(router.GetService(typeof(ModelPricing)));
        Assert.Equal(CostAwareRoutingChatClient.ProviderName, router.GetService<ChatClientMetadata>()!.ProviderName);
        Assert.Same(router.Budget, router.GetService<IBudgetAccount>());
    }

    [Fact]
    public async Task Activities_carry_GenAI_attributes_cost_and_reason()
    {
        var stopped = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == "VirtualItCompany.Routing",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a =>
            {
                lock (stopped)
                {
                    stopped.Add(a);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        var fakes = Models.DefaultFakes();
        var router = Models.DefaultRouter(fakes);

        await router.GetResponseAsync(Models.Ask("unique-activity-probe"), new ChatOptions().WithComplexity(5), Ct);

        Activity activity;
        lock (stopped)
        {
            activity = stopped.Last(a => (string?)a.GetTagItem("vic.routing.model") == "claude-sonnet-4-5");
        }

        Assert.Equal("claude-sonnet-4-5", activity.GetTagItem("vic.routing.response_model"));
        Assert.Equal(50L, activity.GetTagItem("vic.routing.output_tokens"));
        Assert.True((double)activity.GetTagItem("vic.cost_usd")! > 0);
        Assert.Contains("complexity 5 (given)", (string)activity.GetTagItem("vic.routing.reason")!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Preview_explains_without_calling_or_reserving()
    {
        var fakes = Models.DefaultFakes();
        var router = Models.DefaultRouter(fakes);

        var decision = await router.PreviewAsync(Models.Ask("hi"), new ChatOptions().WithComplexity(9), TestContext.Current.CancellationToken);

        Assert.Equal(TestIds.ClaudeOpus, decision.ChosenModelId);
        Assert.All(fakes.Values, f => Assert.Equal(0, f.Calls));
        Assert.Equal(0m, router.Company().Reserved);
    }

    [Fact]
    public async Task Each_router_explains_its_own_choice_even_when_another_router_decided_alike_before()
    {
        var first = new CostAwareRoutingChatClient([new RoutedModel(Models.Profile("first-only"), new FakeModel("first-only"))], Models.OneBand(BandOrder.Preference, "first-only"));
        var second = new CostAwareRoutingChatClient([new RoutedModel(Models.Profile("second-only"), new FakeModel("second-only"))], Models.OneBand(BandOrder.Preference, "second-only"));
        var options = new ChatOptions().WithComplexity(6);

        var a = Models.DecisionOf(await first.GetResponseAsync(Models.Ask("hi"), options, Ct));
        var b = Models.DecisionOf(await second.GetResponseAsync(Models.Ask("hi"), options, Ct));

        Assert.Contains("first-only", a.Reason, StringComparison.Ordinal);
        Assert.Contains("second-only", b.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("first-only", b.Reason, StringComparison.Ordinal);
    }
}
