using Microsoft.Extensions.AI;

namespace VirtualItCompany.Routing.Tests.Signals;

public sealed class LearnedComplexityEstimatorTests
{
    private const string Hard =
        "You are given a tree with N vertices and Q queries. For each query (u, v, k), find the k-th smallest edge weight " +
        "on the path between u and v, modulo 998244353. Constraints: 2 <= N <= 2 \\times 10^5, 1 <= Q <= 2 \\times 10^5. " +
        "Print the answer for each query on its own line. $N$ and $Q$ are integers.";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static LearnedComplexityEstimator Estimator => LearnedComplexityEstimator.Instance;

    [Fact]
    public void The_same_call_gets_the_same_estimate_and_explanation()
    {
        var first = Estimator.EstimateWithExplanation(Models.Ask(Hard), null);
        var second = Estimator.EstimateWithExplanation(Models.Ask(Hard), null);

        Assert.Equal(first, second);
        Assert.Equal(first.Complexity, Estimator.Estimate(Models.Ask(Hard), null));
    }

    [Theory]
    [InlineData("")]
    [InlineData("hi")]
    [InlineData(Hard)]
    public void Estimates_stay_within_1_to_10(string prompt) => Assert.InRange(Estimator.Estimate(Models.Ask(prompt), null), 1, 10);

    [Fact]
    public void Huge_prompts_with_many_tools_stay_within_1_to_10()
    {
        var tools = new ChatOptions { Tools = [.. Enumerable.Range(0, 40).Select(i => AIFunctionFactory.Create(() => i, $"t{i}"))] };

        Assert.InRange(Estimator.Estimate(Models.Ask(new string('z', 1_000_000) + " 12345"), tools), 1, 10);
    }

    [Fact]
    public void The_scale_maps_probability_by_the_shipped_cut_points()
    {
        var model = ComplexityModel.Shipped;

        Assert.Equal(ComplexityModel.CutCount, model.Cuts.Length);
        Assert.Equal(1, model.ToComplexity(0));
        Assert.Equal(10, model.ToComplexity(1));
        for (int k = 0; k < model.Cuts.Length; k++)
        {
            Assert.Equal(k + 2, model.ToComplexity(model.Cuts[k]));
        }

        Assert.InRange(Estimator.SuggestedStrongFrom, 1, 11);
    }

    [Fact]
    public void The_shipped_model_is_trained_not_empty()
    {
        var model = ComplexityModel.Shipped;

        Assert.True(model.BucketWeights.Count(w => w != 0) > 1000, "the shipped model has almost no word weights; run estimator-train");
        Assert.Contains(model.DenseWeights, w => w != 0);
    }

    [Fact]
    public void The_model_round_trips_and_rejects_damaged_bytes()
    {
        var bytes = ComplexityModel.Shipped.Write();
        var read = ComplexityModel.Read(bytes);

        Assert.Equal(ComplexityModel.Shipped.BucketWeights, read.BucketWeights);
        Assert.Equal(ComplexityModel.Shipped.Cuts, read.Cuts);
        Assert.Throws<InvalidDataException>(() => ComplexityModel.Read(bytes.AsSpan(0, bytes.Length - 4)));
        bytes[0] = (byte)'X';
        Assert.Throws<InvalidDataException>(() => ComplexityModel.Read(bytes));
    }

    [Fact]
    public void The_explanation_names_the_features_that_weighed_most()
    {
        var estimate = Estimator.EstimateWithExplanation(Models.Ask(Hard), null);

        Assert.NotNull(estimate.Explanation);
        Assert.StartsWith($"learned text estimate {estimate.Complexity} (p=", estimate.Explanation, StringComparison.Ordinal);
        Assert.Matches(@"most weight: [+-]\S.*, [+-]\S.*, [+-]\S", estimate.Explanation);
    }

    [Fact]
    public void A_call_without_text_is_estimated_and_explained()
    {
        var estimate = Estimator.EstimateWithExplanation([], null);

        Assert.InRange(estimate.Complexity, 1, 10);
        Assert.NotNull(estimate.Explanation);
    }

    [Fact]
    public void Estimating_allocates_nothing_and_explaining_under_1_KB()
    {
        var call = Models.Ask(Hard + " " + Hard);
        Estimator.Estimate(call, null);
        Estimator.EstimateWithExplanation(call, null);

        long before = GC.GetAllocatedBytesForCurrentThread();
        Estimator.Estimate(call, null);
        long estimate = GC.GetAllocatedBytesForCurrentThread() - before;
        before = GC.GetAllocatedBytesForCurrentThread();
        Estimator.EstimateWithExplanation(call, null);
        long explained = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, estimate);
        Assert.InRange(explained, 1, 1024);
    }

    [Fact]
    public async Task The_router_records_the_explanation_in_its_decision()
    {
        var fakes = Models.DefaultFakes();
        var router = new CostAwareRoutingChatClient(TestCatalog.Profiles.Select(p => new RoutedModel(p, fakes[p.Id])), complexityEstimator: Estimator);

        var decision = Models.DecisionOf(await router.GetResponseAsync(Models.Ask(Hard), null, Ct));

        Assert.True(decision.ComplexityEstimated);
        Assert.Equal(Estimator.Estimate(Models.Ask(Hard), null), decision.Complexity);
        Assert.Equal(Estimator.EstimateWithExplanation(Models.Ask(Hard), null).Explanation, decision.ComplexityExplanation);
    }

    [Fact]
    public async Task A_given_complexity_has_no_explanation()
    {
        var fakes = Models.DefaultFakes();
        var router = new CostAwareRoutingChatClient(TestCatalog.Profiles.Select(p => new RoutedModel(p, fakes[p.Id])), complexityEstimator: Estimator);

        var decision = Models.DecisionOf(await router.GetResponseAsync(Models.Ask(Hard), new ChatOptions().WithComplexity(5), Ct));

        Assert.Null(decision.ComplexityExplanation);
    }
}
