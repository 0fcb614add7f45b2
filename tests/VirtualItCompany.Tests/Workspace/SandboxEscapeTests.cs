using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using VirtualItCompany.Workspace;

namespace VirtualItCompany.Tests.Workspace;

/// <summary>
/// The ways an allowed program (git, dotnet) can be made to run anything or touch paths outside the workspace, run for real in the
/// bubblewrap sandbox: no file outside the workspace is created, read or changed, and no connection leaves it.
/// These tests fail (never skip) on a machine without bubblewrap: eng/install-test-dependencies.sh installs it.
/// </summary>
public sealed class SandboxEscapeTests
{
    private const string CanaryText = "CANARY-sandbox-3c9d-never-read";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_sandbox_is_available_here()
    {
        await using var scratch = new ScratchWorkspaces();
        Assert.True(scratch.Provider.IsSandboxed, scratch.Provider.SandboxDescription);
        Assert.Contains("bubblewrap", scratch.Provider.SandboxDescription, StringComparison.Ordinal);
    }

    public static TheoryData<string, string[]> Escapes() => new()
    {
        { "alias runs a shell", ["git", "-c", "alias.x=!touch MARKER; cat CANARY", "x"] },
        { "fsmonitor runs a command", ["git", "-c", "core.fsmonitor=touch MARKER; cat CANARY; echo", "status"] },
        { "sshCommand runs a command", ["git", "-c", "core.sshCommand=touch MARKER;", "ls-remote", "ssh://example.invalid/x"] },
        { "ext transport runs a command", ["git", "-c", "protocol.ext.allow=always", "ls-remote", "ext::sh -c touch% MARKER"] },
        { "diff --no-index reads outside", ["git", "diff", "--no-index", "CANARY", "inside.txt"] },
        { "diff --output writes outside", ["git", "diff", "--no-index", "--output=MARKER", "inside.txt", "other.txt"] },
        { "init creates a repository outside", ["git", "init", "MARKER"] },
        { "clone reads outside", ["git", "clone", "OUTSIDE", "cloned"] },
        { "git-dir points outside", ["git", "--git-dir=OUTSIDE/.git", "init"] },
        { "config --global writes the user's config", ["git", "config", "--global", "core.fsmonitor", "touch MARKER"] },
        { "archive writes outside", ["git", "archive", "--output=MARKER", "HEAD"] },
        { "alias writes into the toolchain", ["git", "-c", "alias.x=!touch /usr/vic-sandbox-marker; touch MARKER", "x"] },
        { "alias kills the host's processes", ["git", "-c", "alias.x=!kill -9 -1; touch MARKER", "x"] },
    };

    [Theory]
    [MemberData(nameof(Escapes))]
    public async Task An_escape_through_an_allowed_program_touches_nothing_outside(string technique, string[] command)
    {
        await using var attack = await EscapeSetup.CreateAsync();
        var arguments = command.Select(attack.Substitute).ToArray();

        var result = await attack.Workspace.RunAsync(new CommandRequest(arguments) { Timeout = TimeSpan.FromSeconds(60) }, Ct);

        Assert.DoesNotContain(CanaryText, result.Output, StringComparison.Ordinal);
        attack.AssertNothingOutsideChanged(technique);
        Assert.False(File.Exists("/usr/vic-sandbox-marker"), technique);
        Assert.Equal(attack.GitConfigBefore, EscapeSetup.ReadUserGitConfig());
    }

    [Fact]
    public async Task An_MSBuild_Exec_task_runs_in_the_sandbox_and_touches_nothing_outside()
    {
        await using var attack = await EscapeSetup.CreateAsync();
        await attack.Workspace.WriteFileAsync("evil.proj", $"""
            <Project>
              <Target Name="Build">
                <Exec Command="touch {attack.Marker}; cat {attack.Canary}; echo ran-inside > inside-marker.txt" ContinueOnError="true" />
              </Target>
            </Project>
            """, Ct);

        var result = await attack.Workspace.RunAsync(new CommandRequest(["dotnet", "msbuild", "evil.proj", "-nologo"]) { Timeout = TimeSpan.FromMinutes(2) }, Ct);

        Assert.Equal("ran-inside\n", await attack.Workspace.ReadFileAsync("inside-marker.txt", Ct)); // it did run: inside
        Assert.DoesNotContain(CanaryText, result.Output, StringComparison.Ordinal);
        attack.AssertNothingOutsideChanged("MSBuild Exec");
    }

    [Fact]
    public async Task A_command_has_no_network_unless_its_kind_is_allowed()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var accepted = listener.AcceptTcpClientAsync(Ct).AsTask();
        await using var scratch = new ScratchWorkspaces();
        var workspace = await scratch.GetAsync();

        var result = await workspace.RunAsync(new CommandRequest(["git", "ls-remote", $"http://127.0.0.1:{port}/repo"]) { Timeout = TimeSpan.FromSeconds(30) }, Ct);

        Assert.False(result.Succeeded);
        Assert.Contains("127.0.0.1", result.Output, StringComparison.Ordinal);
        await Task.Delay(200, Ct);
        Assert.False(accepted.IsCompleted, "The sandboxed command reached a server on the host's loopback.");

        await using var allowed = new ScratchWorkspaces(o => o.NetworkCommands.Add("git ls-remote"));
        var networked = await allowed.GetAsync();
        _ = await networked.RunAsync(new CommandRequest(["git", "ls-remote", $"http://127.0.0.1:{port}/repo"]) { Timeout = TimeSpan.FromSeconds(5) }, Ct);
        Assert.True(await Task.WhenAny(accepted, Task.Delay(TimeSpan.FromSeconds(10), Ct)) == accepted, "A command kind allowed the network could not connect.");
    }

    [Fact]
    public async Task An_agent_cannot_change_the_repository_so_that_the_workspace_commit_runs_its_command()
    {
        await using var attack = await EscapeSetup.CreateAsync();
        await attack.Workspace.CommitAsync("First", cancellationToken: Ct);

        var configured = await attack.Workspace.RunAsync(new CommandRequest(["git", "config", "core.fsmonitor", $"touch {attack.Marker}; echo"]), Ct);
        var hooked = await attack.Workspace.RunAsync(new CommandRequest(["git", "config", "core.hooksPath", "hooks"]), Ct);
        await attack.Workspace.WriteFileAsync("hooks/pre-commit", $"#!/bin/sh\ntouch {attack.Marker}\n", Ct);
        await attack.Workspace.WriteFileAsync("b.txt", "b", Ct);
        await attack.Workspace.CommitAsync("Second", ["b.txt", "hooks/pre-commit"], Ct);

        Assert.False(configured.Succeeded, configured.Output); // the repository is read-only in the sandbox
        Assert.False(hooked.Succeeded, hooked.Output);
        attack.AssertNothingOutsideChanged("a hostile repository config");
    }

    [Fact]
    public async Task Commands_are_refused_without_a_sandbox_unless_the_app_opts_in_by_name()
    {
        await using var refused = new ScratchWorkspaces(o => o.BubblewrapProgram = "/nonexistent/bwrap");
        var workspace = await refused.GetAsync();

        Assert.False(refused.Provider.IsSandboxed);
        var ex = await Assert.ThrowsAsync<WorkspaceSandboxException>(() => workspace.RunAsync(new CommandRequest(["git", "--version"]), Ct));
        Assert.Contains("AllowUnsandboxedCommands", ex.Message, StringComparison.Ordinal);
        Assert.Contains("apt-get install bubblewrap", ex.Message, StringComparison.Ordinal);
        await workspace.WriteFileAsync("a.txt", "a", Ct);
        Assert.NotNull(await workspace.CommitAsync("The workspace's own git still commits", cancellationToken: Ct));

        await using var optedIn = new ScratchWorkspaces(o => { o.BubblewrapProgram = "/nonexistent/bwrap"; o.AllowUnsandboxedCommands = true; });
        var unsandboxed = await optedIn.GetAsync();
        Assert.True((await unsandboxed.RunAsync(new CommandRequest(["git", "--version"]), Ct)).Succeeded);
        Assert.Contains("unsandboxed", optedIn.Provider.SandboxDescription, StringComparison.Ordinal);
    }

    /// <summary>A workspace with a canary and a marker path outside it, and the user's git config remembered.</summary>
    private sealed class EscapeSetup : IAsyncDisposable
    {
        private readonly ScratchWorkspaces _scratch;

        private EscapeSetup(ScratchWorkspaces scratch, IProjectWorkspace workspace, string outside)
        {
            _scratch = scratch;
            Workspace = workspace;
            OutsideFolder = outside;
            GitConfigBefore = ReadUserGitConfig();
        }

        public IProjectWorkspace Workspace { get; }

        public string OutsideFolder { get; }

        public string Canary => Path.Combine(OutsideFolder, "canary.txt");

        public string Marker => Path.Combine(OutsideFolder, "marker");

        public string? GitConfigBefore { get; }

        public static async Task<EscapeSetup> CreateAsync()
        {
            var scratch = new ScratchWorkspaces();
            var workspace = await scratch.GetAsync();
            var outside = Directory.CreateDirectory(Path.Combine(Path.GetDirectoryName(workspace.RootPath)!, "outside")).FullName;
            await File.WriteAllTextAsync(Path.Combine(outside, "canary.txt"), CanaryText, Ct);
            await workspace.WriteFileAsync("inside.txt", "inside\n", Ct);
            await workspace.WriteFileAsync("other.txt", "other\n", Ct);
            await workspace.CommitAsync("Setup", cancellationToken: Ct);
            return new EscapeSetup(scratch, workspace, outside);
        }

        public static string? ReadUserGitConfig()
        {
            var path = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".gitconfig");
            return File.Exists(path) ? File.ReadAllText(path) : null;
        }

        public string Substitute(string argument) => argument
            .Replace("MARKER", Marker, StringComparison.Ordinal)
            .Replace("CANARY", Canary, StringComparison.Ordinal)
            .Replace("OUTSIDE", OutsideFolder, StringComparison.Ordinal);

        public void AssertNothingOutsideChanged(string technique)
        {
            Assert.Equal(CanaryText, File.ReadAllText(Canary));
            Assert.Equal([Canary], Directory.EnumerateFileSystemEntries(OutsideFolder).ToArray());
            Assert.False(Path.Exists(Marker), $"{technique}: the marker outside the workspace was created.");
        }

        public ValueTask DisposeAsync() => _scratch.DisposeAsync();
    }
}
