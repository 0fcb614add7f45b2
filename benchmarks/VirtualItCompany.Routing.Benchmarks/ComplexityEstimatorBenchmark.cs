using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.AI;

namespace VirtualItCompany.Routing.Benchmarks;

/// <summary>
/// The cost of estimating a call's complexity: the heuristic and the learned estimate on a prompt of about 1.5 KB (the
/// mean size of the routing dataset's prompts; a synthetic problem statement, not a dataset text) and on one of 16 KB.
/// Targets for the learned estimate: &lt;= 20 us and &lt;= 1 KB per call (Estimate allocates nothing; the explanation is one string).
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[ShortRunJob]
public class ComplexityEstimatorBenchmark
{
    private const string Statement =
        "You are given an integer array nums of length n and q queries. For each query [l, r, k], find the k-th smallest " +
        "value in nums[l..r] after applying at most one operation: choose an index i and replace nums[i] with any value. " +
        "Return the answers modulo 998244353.\n\nConstraints:\n1 <= n, q <= 2 * 10^5\n1 <= nums[i] <= 10^9\n\n" +
        "Example 1:\nInput: nums = [3,1,2], queries = [[0,2,1]]\nOutput: [1]\nExplanation: the smallest value is 1.\n\n";

    private ChatMessage[] _small = null!;
    private ChatMessage[] _large = null!;

    [GlobalSetup]
    public void Setup()
    {
        _small = [new ChatMessage(ChatRole.User, string.Concat(Enumerable.Repeat(Statement, 3)))];
        _large = [new ChatMessage(ChatRole.User, string.Concat(Enumerable.Repeat(Statement, 34)))];
    }

    [Benchmark(Baseline = true)]
    public int Heuristic_1_5KB() => HeuristicComplexityEstimator.Instance.Estimate(_small, null);

    [Benchmark]
    public int Learned_1_5KB() => LearnedComplexityEstimator.Instance.Estimate(_small, null);

    [Benchmark]
    public ComplexityEstimate LearnedExplained_1_5KB() => LearnedComplexityEstimator.Instance.EstimateWithExplanation(_small, null);

    [Benchmark]
    public int Learned_16KB() => LearnedComplexityEstimator.Instance.Estimate(_large, null);
}
