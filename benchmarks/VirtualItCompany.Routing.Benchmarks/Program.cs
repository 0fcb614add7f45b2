using BenchmarkDotNet.Running;
using VirtualItCompany.Routing.Benchmarks.Estimator;

if (EstimatorVerbs.TryRun(args, out int exitCode))
{
    return exitCode;
}

BenchmarkSwitcher.FromAssembly(typeof(VirtualItCompany.Routing.Benchmarks.ModelSelectionBenchmark).Assembly).Run(args);
return 0;
