namespace VirtualItCompany.Tests.Workspace;

/// <summary>Process trees and output floods: everything a command started dies with it, and output costs bounded memory.</summary>
[Collection(nameof(CommandLimitTests))]
[CollectionDefinition(nameof(CommandLimitTests), DisableParallelization = true)]
public sealed class CommandLimitTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_sleep_with_four_hundred_double_forked_children_is_gone_entirely_at_a_one_second_limit()
    {
        await using var scratch = new ScratchWorkspaces(ScratchWorkspaces.AllowShell);
        var workspace = await scratch.GetAsync();
        var sleep = ProcessProbe.UniqueSleep();
        // Each child forks twice and its parent exits (a daemon's double fork), so it is no longer our child's child.
        var script = $"i=0; while [ $i -lt 400 ]; do (sh -c 'sleep {sleep}' &) ; i=$((i+1)); done; echo forked; sleep {sleep}";

        var result = await workspace.RunAsync(new CommandRequest(["sh", "-c", script]) { Timeout = TimeSpan.FromSeconds(1) }, Ct);

        Assert.True(result.TimedOut);
        var left = ProcessProbe.FindByArgument(sleep);
        Assert.True(await ProcessProbe.NoneWithArgumentWithinAsync(sleep, TimeSpan.FromSeconds(1)), $"{ProcessProbe.FindByArgument(sleep).Count} processes outlived the command ({left.Count} right after it returned).");
        TestContext.Current.SendDiagnosticMessage($"{left.Count} of the command's processes were still being reaped when it returned after {result.Duration}.");
    }

    [Fact]
    public async Task Children_a_command_leaves_running_when_it_exits_are_killed_with_it()
    {
        await using var scratch = new ScratchWorkspaces(ScratchWorkspaces.AllowShell);
        var workspace = await scratch.GetAsync();
        var sleep = ProcessProbe.UniqueSleep();

        var result = await workspace.RunAsync(new CommandRequest(["sh", "-c", $"(sh -c 'sleep {sleep}' > /dev/null 2>&1 &); echo left-behind"]), Ct);

        Assert.True(result.Succeeded, result.Output);
        Assert.True(await ProcessProbe.NoneWithArgumentWithinAsync(sleep, TimeSpan.FromSeconds(1)), "A background child outlived its command.");
    }

    [Fact]
    public async Task A_hundred_megabyte_single_line_keeps_memory_within_a_few_megabytes_of_the_cap()
    {
        await using var scratch = new ScratchWorkspaces(ScratchWorkspaces.AllowShell);
        var workspace = await scratch.GetAsync();
        GC.Collect();
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);

        var result = await workspace.RunAsync(new CommandRequest(["sh", "-c", "head -c 100000000 /dev/zero | tr '\\0' 'a'; echo; echo the-end"]) { Timeout = TimeSpan.FromMinutes(2) }, Ct);

        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        TestContext.Current.SendDiagnosticMessage($"Reading 100 MB of output on one line allocated {allocated / 1024.0 / 1024.0:F1} MiB in {result.Duration}.");
        Assert.True(result.Succeeded, result.Output[..Math.Min(500, result.Output.Length)]);
        Assert.EndsWith("the-end\n", result.Output, StringComparison.Ordinal);
        Assert.Contains("bytes of output left out", result.Output, StringComparison.Ordinal);
        Assert.True(allocated < 16L * 1024 * 1024, $"Reading the flood allocated {allocated} bytes.");
    }

    [Fact]
    public async Task A_command_that_writes_more_than_its_output_limit_is_killed_and_says_so()
    {
        await using var scratch = new ScratchWorkspaces(o => { ScratchWorkspaces.AllowShell(o); o.CommandMaxOutputBytes = 1024 * 1024; });
        var workspace = await scratch.GetAsync();

        var result = await workspace.RunAsync(new CommandRequest(["sh", "-c", "while :; do echo flooding; done"]) { Timeout = TimeSpan.FromMinutes(1) }, Ct);

        Assert.False(result.Succeeded);
        Assert.False(result.TimedOut);
        Assert.Contains("more than 1048576 bytes of output", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Environment_variables_pass_by_exact_name_only()
    {
        Environment.SetEnvironmentVariable("DOTNET_VIC_CANARY_SECRET", "sk-canary-dotnet-prefix");
        Environment.SetEnvironmentVariable("LC_VIC_CANARY_SECRET", "sk-canary-lc-prefix");
        try
        {
            await using var scratch = new ScratchWorkspaces(ScratchWorkspaces.AllowShell);
            var workspace = await scratch.GetAsync();

            var result = await workspace.RunAsync(new CommandRequest(["sh", "-c", "env"]), Ct);

            Assert.DoesNotContain("sk-canary", result.Output, StringComparison.Ordinal);
            Assert.Contains("HOME=/tmp/vic-home", result.Output, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable("DOTNET_VIC_CANARY_SECRET", null);
            Environment.SetEnvironmentVariable("LC_VIC_CANARY_SECRET", null);
        }
    }

    [Fact]
    public void A_prefix_rule_in_the_environment_allow_list_is_refused()
    {
        var options = new VirtualItCompany.Workspace.WorkspaceOptions();
        options.PassThroughEnvironment.Add("DOTNET_*");

        Assert.Contains(options.GetProblems(), p => p.Contains("DOTNET_*", StringComparison.Ordinal));
    }
}
