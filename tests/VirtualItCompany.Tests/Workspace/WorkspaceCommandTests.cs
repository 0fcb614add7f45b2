namespace VirtualItCompany.Tests.Workspace;

public sealed class WorkspaceCommandTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_program_that_is_not_on_the_allow_list_is_refused()
    {
        await using var scratch = new ScratchWorkspaces();
        var workspace = await scratch.GetAsync();

        var ex = await Assert.ThrowsAsync<WorkspacePathException>(() => workspace.RunAsync(new CommandRequest(["curl", "https://example.com"]), Ct));

        Assert.Contains("allow-list", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/usr/bin/git")]
    [InlineData("./git")]
    [InlineData("tools\\git")]
    public async Task An_allowed_name_given_with_a_folder_is_refused(string program)
    {
        await using var scratch = new ScratchWorkspaces();
        var workspace = await scratch.GetAsync();

        await Assert.ThrowsAsync<WorkspacePathException>(() => workspace.RunAsync(new CommandRequest([program, "status"]), Ct));
    }

    [Fact]
    public async Task A_working_directory_outside_the_workspace_is_refused()
    {
        await using var scratch = new ScratchWorkspaces();
        var workspace = await scratch.GetAsync();

        await Assert.ThrowsAsync<WorkspacePathException>(() => workspace.RunAsync(new CommandRequest(["git", "status"]) { WorkingDirectory = ".." }, Ct));
    }

    [Fact]
    public async Task An_allowed_command_runs_in_the_workspace_and_reports_its_exit_code_and_output()
    {
        await using var scratch = new ScratchWorkspaces(ScratchWorkspaces.AllowShell);
        var workspace = await scratch.GetAsync();
        await workspace.WriteFileAsync("sub/marker.txt", "", Ct);

        var result = await workspace.RunAsync(new CommandRequest(["sh", "-c", "ls; echo to-stderr >&2; exit 3"]) { WorkingDirectory = "sub" }, Ct);

        Assert.Equal(3, result.ExitCode);
        Assert.False(result.Succeeded);
        Assert.False(result.TimedOut);
        Assert.Contains("marker.txt", result.Output, StringComparison.Ordinal);
        Assert.Contains("to-stderr", result.Output, StringComparison.Ordinal);
        Assert.True(result.Duration > TimeSpan.Zero);
    }

    [Fact]
    public async Task Arguments_reach_the_program_verbatim_without_a_shell()
    {
        await using var scratch = new ScratchWorkspaces(ScratchWorkspaces.AllowShell);
        var workspace = await scratch.GetAsync();

        var result = await workspace.RunAsync(new CommandRequest(["sh", "-c", "printf '%s|' \"$@\"", "sh", "a b", "$HOME", "; rm -rf /"]), Ct);

        Assert.Equal("a b|$HOME|; rm -rf /|", result.Output);
    }

    [Fact]
    public async Task Time_out_kills_the_whole_process_tree()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "Needs sh.");
        await using var scratch = new ScratchWorkspaces(ScratchWorkspaces.AllowShell);
        var workspace = await scratch.GetAsync();

        var sleep = ProcessProbe.UniqueSleep();
        var result = await workspace.RunAsync(
            new CommandRequest(["sh", "-c", $"sleep {sleep} & echo started; wait"]) { Timeout = TimeSpan.FromSeconds(1) }, Ct);

        Assert.True(result.TimedOut);
        Assert.Equal(-1, result.ExitCode);
        Assert.Contains("started", result.Output, StringComparison.Ordinal);
        Assert.InRange(result.Duration, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(15));
        Assert.True(await ProcessProbe.NoneWithArgumentWithinAsync(sleep, TimeSpan.FromSeconds(5)), "The child process outlived the time-out.");
    }

    [Fact]
    public async Task Cancellation_kills_the_whole_process_tree_and_throws()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "Needs sh.");
        await using var scratch = new ScratchWorkspaces(ScratchWorkspaces.AllowShell);
        var workspace = await scratch.GetAsync();
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        cancel.CancelAfter(TimeSpan.FromSeconds(1));

        var sleep = ProcessProbe.UniqueSleep();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            workspace.RunAsync(new CommandRequest(["sh", "-c", $"sleep {sleep} & wait"]), cancel.Token));

        Assert.True(await ProcessProbe.NoneWithArgumentWithinAsync(sleep, TimeSpan.FromSeconds(5)), "The child process outlived the cancellation.");
    }

    [Fact]
    public async Task Output_beyond_the_cap_keeps_the_head_and_the_end_and_says_how_much_was_left_out()
    {
        await using var scratch = new ScratchWorkspaces(ScratchWorkspaces.AllowShell);
        var workspace = await scratch.GetAsync();

        var result = await workspace.RunAsync(
            new CommandRequest(["sh", "-c", "i=0; while [ $i -lt 5000 ]; do echo line$i; i=$((i+1)); done"]) { MaxOutputChars = 100 }, Ct);

        Assert.True(result.Succeeded);
        Assert.StartsWith("line0\nline1\n", result.Output, StringComparison.Ordinal);
        Assert.EndsWith("line4998\nline4999\n", result.Output, StringComparison.Ordinal);
        var kept = result.Output.Split("\n[... ", StringSplitOptions.None);
        Assert.Equal(2, kept.Length);
        Assert.Matches(@"^\d+ bytes of output left out \.\.\.\]\n", kept[1]);
        Assert.Equal(100, kept[0].Length + kept[1][(kept[1].IndexOf(']', StringComparison.Ordinal) + 2)..].Length);
    }

    [Fact]
    public async Task The_options_cap_output_even_when_a_request_asks_for_more()
    {
        await using var scratch = new ScratchWorkspaces(o => { ScratchWorkspaces.AllowShell(o); o.MaxOutputChars = 50; });
        var workspace = await scratch.GetAsync();

        var result = await workspace.RunAsync(new CommandRequest(["sh", "-c", "i=0; while [ $i -lt 100 ]; do echo line$i; i=$((i+1)); done"]), Ct);

        var kept = result.Output.Split("\n[... ", StringSplitOptions.None);
        Assert.Equal(50, kept[0].Length + kept[1][(kept[1].IndexOf(']', StringComparison.Ordinal) + 2)..].Length);
    }

    [Fact]
    public async Task Secrets_in_the_host_environment_are_not_visible_to_commands()
    {
        Environment.SetEnvironmentVariable("OPENAI_API_KEY", "sk-test-must-not-leak");
        await using var scratch = new ScratchWorkspaces(ScratchWorkspaces.AllowShell);
        var workspace = await scratch.GetAsync();

        var result = await workspace.RunAsync(new CommandRequest(["sh", "-c", "env"]), Ct);

        Assert.DoesNotContain("OPENAI_API_KEY", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-test-must-not-leak", result.Output, StringComparison.Ordinal);
        Assert.Contains("PATH=", result.Output, StringComparison.Ordinal);
        Assert.Contains("MSBUILDDISABLENODEREUSE=1", result.Output, StringComparison.Ordinal);
        Assert.Contains("DOTNET_CLI_USE_MSBUILD_SERVER=0", result.Output, StringComparison.Ordinal);
        Assert.Contains("DOTNET_NOLOGO=1", result.Output, StringComparison.Ordinal);
        Assert.Contains("DOTNET_CLI_TELEMETRY_OPTOUT=1", result.Output, StringComparison.Ordinal);
        Assert.Contains("DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1", result.Output, StringComparison.Ordinal);
    }
}
