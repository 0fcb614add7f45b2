using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(VirtualItCompany.Routing.Benchmarks.ModelSelectionBenchmark).Assembly).Run(args);
