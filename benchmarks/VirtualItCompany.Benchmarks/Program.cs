using BenchmarkDotNet.Running;
using VirtualItCompany.Benchmarks.Load;

// `load [options]` runs the end-to-end load harness; anything else goes to BenchmarkDotNet's switcher (e.g. --filter '*').
if (args.Length > 0 && args[0] == "load")
{
    return await LoadCommand.RunAsync(args[1..]).ConfigureAwait(false);
}

// `recovery`: a new host picks up interrupted projects from a SQLite file; `idle`: memory per project waiting for its client.
if (args.Length > 0 && args[0] == "recovery")
{
    return await RecoveryCommand.RunAsync(args[1..]).ConfigureAwait(false);
}

// `processes`: worker processes sharing PostgreSQL (and Redis); `processes-worker` is one of them, started by `processes`.
if (args.Length > 0 && args[0] == "processes")
{
    return await ProcessLoadCommand.RunAsync(args[1..]).ConfigureAwait(false);
}

if (args.Length > 0 && args[0] == "processes-worker")
{
    return await ProcessLoadCommand.WorkerAsync(args[1..]).ConfigureAwait(false);
}

if (args.Length > 0 && args[0] == "idle")
{
    return await IdleCommand.RunAsync(args[1..]).ConfigureAwait(false);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
