using Microsoft.Extensions.AI;

namespace VirtualItCompany.Routing.Tests.Signals;

public sealed class HeuristicComplexityEstimatorTests
{
    private static int Estimate(string prompt, ChatOptions? options = null) => HeuristicComplexityEstimator.Instance.Estimate(Models.Ask(prompt), options);

    [Fact]
    public void Routine_short_requests_are_simple() => Assert.InRange(Estimate("Summarize this paragraph."), 1, 3);

    [Fact]
    public void Hard_words_tools_and_size_raise_the_estimate()
    {
        var tools = new ChatOptions { Tools = [.. Enumerable.Range(0, 6).Select(i => AIFunctionFactory.Create(() => i, $"t{i}"))] };

        int estimate = Estimate("Design the architecture for a distributed system. " + new string('x', 40_000), tools);

        Assert.InRange(estimate, 8, 10);
    }

    [Fact]
    public void The_estimate_stays_within_1_to_10() => Assert.InRange(Estimate(new string('y', 1_000_000) + " architecture security", new ChatOptions { Tools = [.. Enumerable.Range(0, 9).Select(i => AIFunctionFactory.Create(() => i, $"t{i}"))] }), 1, 10);
}
