using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;

namespace VirtualItCompany.Benchmarks;

/// <summary>A short job with a fixed number of operations per iteration, for benchmarks that consume prepared state and rebuild it in <c>[IterationSetup]</c>.</summary>
/// <remarks>The set-up JITs new code every iteration, which postpones tiering up; the long warm-up lets the measured code reach tier 1.</remarks>
internal abstract class FixedInvocationConfig : ManualConfig
{
    protected FixedInvocationConfig(int invocationCount) =>
        AddJob(Job.ShortRun.WithWarmupCount(15).WithIterationCount(10).WithInvocationCount(invocationCount).WithUnrollFactor(1).WithId($"Short-{invocationCount}-ops"));
}
