using BenchmarkDotNet.Running;
using VirtualItCompany.Benchmarks.Load;

// `load [options]` runs the end-to-end load harness; anything else goes to BenchmarkDotNet's switcher (e.g. --filter '*').
if (args.Length > 0 && args[0] == "load")
{
    return await LoadCommand.RunAsync(args[1..]).ConfigureAwait(false);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
