using System.Diagnostics;

namespace VirtualItCompany.Tests.Samples;

/// <summary>The README's main command, run as a new user runs it: a real process, offline.</summary>
public sealed class QuickstartTests
{
    private static readonly string RepositoryRoot = FindRoot();

    [Fact]
    public async Task Quickstart_takes_a_brief_to_a_delivered_project_and_exits_zero()
    {
        var (exitCode, output) = await RunAsync("A recipe box for a small cafe. It lists recipes. It shows one recipe.", "--auto-approve");

        Assert.True(exitCode == 0, output);
        Assert.Contains("offline model, no AI", output, StringComparison.Ordinal);
        Assert.Contains("Project completed", output, StringComparison.Ordinal);
        Assert.Contains("passed, 0 failed", output, StringComparison.Ordinal);
        Assert.Contains("stateDiagram-v2", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("--budget", "lots", "a brief")]
    [InlineData("--unknown", "a brief")]
    public async Task Quickstart_prints_usage_and_exits_2_on_bad_input(params string[] args)
    {
        var (exitCode, output) = await RunAsync(args);

        Assert.Equal(2, exitCode);
        Assert.Contains("Usage: dotnet run --project samples/Quickstart", output, StringComparison.Ordinal);
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = RepositoryRoot, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var a in (string[])["run", "--project", "samples/Quickstart", "--", .. args])
        {
            start.ArgumentList.Add(a);
        }

        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(5));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await stdout + await stderr);
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "VirtualItCompany.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (with VirtualItCompany.sln) was not found above " + AppContext.BaseDirectory);
    }
}
