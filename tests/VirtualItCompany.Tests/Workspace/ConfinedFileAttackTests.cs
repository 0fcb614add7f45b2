using System.Text;
using Microsoft.Extensions.AI;

namespace VirtualItCompany.Tests.Workspace;

/// <summary>
/// Attacks on the file tools as an agent (or a prompt-injected model) would try them: hundreds of path payloads against every file
/// operation, links out, hard links, links to .git, and a link swapped between inside and outside while the tools run. Canary files
/// outside the workspace must stay unread (their content never comes back) and unchanged, and nothing may be created outside.
/// </summary>
public sealed class ConfinedFileAttackTests
{
    private const string CanaryText = "CANARY-8f2b61-outside-the-workspace";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string> Payloads() => new(BuildPayloads());

    internal static List<string> BuildPayloads()
    {
        string[] bases =
        [
            "..", "../", "../..", "../../..", "../outside/canary.txt", "../../outside/canary.txt", "../prj_test-sibling/canary.txt",
            "../outside", "a/../../outside/canary.txt", "./../outside/canary.txt", "a/b/../../../outside/canary.txt",
            "/etc/passwd", "/tmp", "/", "//", "/../outside/canary.txt", "~/.gitconfig", "~", "$HOME/x", "%2e%2e/outside/canary.txt",
            "%2e%2e%2foutside%2fcanary.txt", "..%2foutside", "..%5coutside", "%252e%252e/x", "..\u2215outside", "\u2025/outside",
            "C:\\Windows\\win.ini", "C:/x", "\\\\server\\share\\x", "\\\\?\\C:\\x", "CON", "NUL", "AUX", "COM1", "LPT1", "con.txt",
            "/dev/zero", "/dev/stdin", "/proc/self/environ", "/proc/self/cwd/../outside/canary.txt", "a\0b", "..\0/x", "canary.txt\0.md",
            ".git/config", ".git/hooks/pre-commit", "a/.git/config", ".GIT/config", ".git./config", ".git /config", "link-out/canary.txt",
            "link-out", "link-file", "link-git/config", "link-dotdot/outside/canary.txt", "hard-canary", "link-root/../outside/canary.txt",
            "...", "....//....//outside", ". ./outside", "a/./../../outside", "\t../outside", " ../outside/canary.txt",
        ];
        var payloads = new HashSet<string>(StringComparer.Ordinal);
        foreach (var b in bases)
        {
            payloads.Add(b);
            payloads.Add(b.Replace('/', '\\'));
            payloads.Add("sub/" + b);
            payloads.Add(b + "/");
            payloads.Add(b + "/x.txt");
        }

        return [.. payloads];
    }

    [Fact]
    public void There_are_at_least_two_hundred_payloads() => Assert.True(BuildPayloads().Count >= 200, $"{BuildPayloads().Count} payloads");

    [Fact]
    public async Task No_payload_reads_changes_or_creates_anything_outside_the_workspace_through_any_file_operation()
    {
        await using var attack = await AttackSetup.CreateAsync();
        var tools = attack.Workspace.CreateFileTools().OfType<AIFunction>().ToDictionary(t => t.Name);
        var returned = new StringBuilder();
        foreach (var payload in BuildPayloads())
        {
            await attack.Workspace.WriteFileAsync("sub/ok.txt", "ok", Ct);
            await Try(() => attack.Workspace.ReadFileAsync(payload, Ct), returned);
            await Try(async () => { await attack.Workspace.WriteFileAsync(payload, "written by the attack", Ct); return ""; }, returned);
            await Try(async () => string.Join('\n', await attack.Workspace.ListFilesAsync(payload, Ct)), returned);
            await Try(async () => (await attack.Workspace.RunAsync(new CommandRequest(["git", "--version"]) { WorkingDirectory = payload }, Ct)).Output, returned);
            await Try(() => Invoke(tools["read_file"], new() { ["path"] = payload }), returned);
            await Try(() => Invoke(tools["write_file"], new() { ["path"] = payload, ["content"] = "x" }), returned);
            await Try(() => Invoke(tools["list_files"], new() { ["path"] = payload }), returned);
            await Try(() => Invoke(tools["delete_file"], new() { ["path"] = payload }), returned);
            await Try(() => Invoke(tools["move_file"], new() { ["path"] = payload, ["newPath"] = "moved-in.txt" }), returned);
            await Try(() => Invoke(tools["move_file"], new() { ["path"] = "sub/ok.txt", ["newPath"] = payload }), returned);
        }

        await Try(() => Invoke(tools["search_files"], new() { ["text"] = "CANARY" }), returned);
        Assert.DoesNotContain(CanaryText, returned.ToString(), StringComparison.Ordinal);
        attack.AssertCanariesUntouched();
    }

    [Fact]
    public async Task A_hard_link_to_an_outside_file_is_neither_read_nor_written_through()
    {
        await using var attack = await AttackSetup.CreateAsync();

        var read = await Assert.ThrowsAsync<WorkspacePathException>(() => attack.Workspace.ReadFileAsync("hard-canary", Ct));
        Assert.Contains("hard links", read.Message, StringComparison.Ordinal);
        await attack.Workspace.WriteFileAsync("hard-canary", "replaced", Ct);

        Assert.Equal("replaced", await attack.Workspace.ReadFileAsync("hard-canary", Ct)); // the link was replaced, not written through
        attack.AssertCanariesUntouched();
    }

    [Fact]
    public async Task A_link_to_the_git_folder_cannot_be_used_to_write_the_repository()
    {
        await using var attack = await AttackSetup.CreateAsync();
        await attack.Workspace.WriteFileAsync("a.txt", "a", Ct);
        await attack.Workspace.CommitAsync("First", cancellationToken: Ct);
        var config = Path.Combine(attack.Workspace.RootPath, ".git", "config");
        var before = await File.ReadAllTextAsync(config, Ct);

        await Assert.ThrowsAsync<WorkspacePathException>(() => attack.Workspace.WriteFileAsync("link-git/config", "[core]\n\tfsmonitor = touch pwned\n", Ct));
        await Assert.ThrowsAsync<WorkspacePathException>(() => attack.Workspace.WriteFileAsync(".git/config", "[core]\n\tfsmonitor = touch pwned\n", Ct));

        Assert.Equal(before, await File.ReadAllTextAsync(config, Ct));
    }

    [Fact]
    public async Task A_FIFO_and_a_device_node_in_the_workspace_do_not_hang_any_tool()
    {
        await using var attack = await AttackSetup.CreateAsync();
        await RunHostAsync("mkfifo", Path.Combine(attack.Workspace.RootPath, "pipe"));
        await RunHostAsync("mknod", Path.Combine(attack.Workspace.RootPath, "zero"), "c", "1", "5"); // /dev/zero: endless reads
        var tools = attack.Workspace.CreateFileTools().OfType<AIFunction>().ToDictionary(t => t.Name);
        var bounded = TimeSpan.FromSeconds(20);

        foreach (var special in new[] { "pipe", "zero" })
        {
            var ex = await Assert.ThrowsAsync<WorkspacePathException>(() => attack.Workspace.ReadFileAsync(special, Ct).WaitAsync(bounded, Ct));
            Assert.Contains("not a regular file", ex.Message, StringComparison.Ordinal);
            await Assert.ThrowsAnyAsync<Exception>(() => Invoke(tools["read_file"], new() { ["path"] = special }).WaitAsync(bounded, Ct));
        }

        var search = await Invoke(tools["search_files"], new() { ["text"] = "anything" }).WaitAsync(bounded, Ct);
        var listed = await attack.Workspace.ListFilesAsync("", Ct).WaitAsync(bounded, Ct);
        Assert.DoesNotContain("pipe", listed);
        Assert.DoesNotContain("zero", listed);
        Assert.NotNull(search);
    }

    [Fact]
    public async Task A_link_swapped_between_inside_and_outside_thousands_of_times_never_leads_out()
    {
        await using var attack = await AttackSetup.CreateAsync();
        var root = attack.Workspace.RootPath;
        Directory.CreateDirectory(Path.Combine(root, "swap-dir"));
        await File.WriteAllTextAsync(Path.Combine(root, "swap-dir", "canary.txt"), "inside", Ct);
        Directory.CreateSymbolicLink(Path.Combine(root, "swap-link"), attack.Outside);
        var swapped = Path.Combine(root, "swap");
        using var stop = new CancellationTokenSource();
        long swaps = 0;
        var swapper = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    Directory.Move(Path.Combine(root, "swap-dir"), swapped);
                    Directory.Move(swapped, Path.Combine(root, "swap-dir"));
                    Directory.Move(Path.Combine(root, "swap-link"), swapped);
                    Directory.Move(swapped, Path.Combine(root, "swap-link"));
                    swaps++;
                }
                catch (IOException)
                {
                    // A write created a real 'swap' folder while neither was in place: clear it and swap on.
                    if (new DirectoryInfo(swapped) is { Exists: true, LinkTarget: null } created
                        && Directory.Exists(Path.Combine(root, "swap-dir")) && Path.Exists(Path.Combine(root, "swap-link")))
                    {
                        try
                        {
                            created.Delete(recursive: true);
                        }
                        catch (IOException)
                        {
                            // The writer put another file in it meanwhile: the next round clears it.
                        }
                    }
                }
            }
        }, Ct);

        var returned = new StringBuilder();
        var tools = attack.Workspace.CreateFileTools().OfType<AIFunction>().ToDictionary(t => t.Name);
        var inside = 0;
        for (var i = 0; i < 3000; i++)
        {
            var read = await Try(() => attack.Workspace.ReadFileAsync("swap/canary.txt", Ct), returned);
            inside += read == "inside" ? 1 : 0;
            await Try(async () => { await attack.Workspace.WriteFileAsync("swap/dropped.txt", "x", Ct); return ""; }, returned);
            await Try(async () => { await attack.Workspace.WriteFileAsync("swap/canary.txt", "overwritten", Ct); return ""; }, returned);
            await Try(async () => string.Join('\n', await attack.Workspace.ListFilesAsync("swap", Ct)), returned);
            await Try(() => Invoke(tools["delete_file"], new() { ["path"] = "swap/canary.txt" }), returned);
            await Try(() => Invoke(tools["move_file"], new() { ["path"] = "swap/canary.txt", ["newPath"] = "stolen.txt" }), returned);
            if (i % 100 == 0)
            {
                await Try(() => Invoke(tools["search_files"], new() { ["text"] = "CANARY" }), returned);
            }

            // Put the inside file back when the loop deleted or moved it.
            if (Directory.Exists(Path.Combine(root, "swap-dir")) && !File.Exists(Path.Combine(root, "swap-dir", "canary.txt")))
            {
                try
                {
                    await File.WriteAllTextAsync(Path.Combine(root, "swap-dir", "canary.txt"), "inside", Ct);
                }
                catch (IOException)
                {
                    // Moved away mid-write; the next round tries again.
                }
            }
        }

        await stop.CancelAsync();
        await swapper;
        TestContext.Current.SendDiagnosticMessage($"{swaps} swaps during 3000 rounds; {inside} reads of the inside file succeeded.");
        Assert.True(swaps > 100, $"only {swaps} swaps: the race was not exercised");
        Assert.DoesNotContain(CanaryText, returned.ToString(), StringComparison.Ordinal);
        attack.AssertCanariesUntouched();
    }

    private static async Task<string?> Try(Func<Task<string>> action, StringBuilder returned)
    {
        try
        {
            var text = await action();
            returned.Append(text).Append('\n');
            return text;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            returned.Append(ex.Message).Append('\n');
            return null;
        }
    }

    private static async Task<string> Invoke(AIFunction tool, Dictionary<string, object?> arguments) =>
        (await tool.InvokeAsync(new AIFunctionArguments(arguments), Ct))?.ToString() ?? "";

    internal static async Task RunHostAsync(string program, params string[] arguments)
    {
        var start = new System.Diagnostics.ProcessStartInfo(program) { RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = System.Diagnostics.Process.Start(start)!;
        await process.WaitForExitAsync(Ct);
        Assert.True(process.ExitCode == 0, $"{program} failed: {await process.StandardError.ReadToEndAsync(Ct)}");
    }

    /// <summary>A workspace with canaries outside it and links, a hard link and a sibling folder pointing at them.</summary>
    internal sealed class AttackSetup : IAsyncDisposable
    {
        private readonly ScratchWorkspaces _scratch;
        private readonly Dictionary<string, string> _canaries = [];

        private AttackSetup(ScratchWorkspaces scratch, IProjectWorkspace workspace, string outside)
        {
            _scratch = scratch;
            Workspace = workspace;
            Outside = outside;
        }

        public IProjectWorkspace Workspace { get; }

        public string Outside { get; }

        public static async Task<AttackSetup> CreateAsync()
        {
            var scratch = new ScratchWorkspaces(ScratchWorkspaces.AllowShell);
            var workspace = await scratch.GetAsync();
            var parent = Path.GetDirectoryName(workspace.RootPath)!;
            var outside = Directory.CreateDirectory(Path.Combine(parent, "outside")).FullName;
            var sibling = Directory.CreateDirectory(Path.Combine(parent, "prj_test-sibling")).FullName;
            var setup = new AttackSetup(scratch, workspace, outside);
            setup.Canary(Path.Combine(outside, "canary.txt"));
            setup.Canary(Path.Combine(sibling, "canary.txt"));
            setup.Canary(Path.Combine(parent, "canary.txt"));
            var root = workspace.RootPath;
            Directory.CreateSymbolicLink(Path.Combine(root, "link-out"), outside);
            File.CreateSymbolicLink(Path.Combine(root, "link-file"), Path.Combine(outside, "canary.txt"));
            Directory.CreateSymbolicLink(Path.Combine(root, "link-dotdot"), "..");
            Directory.CreateSymbolicLink(Path.Combine(root, "link-root"), "/");
            Directory.CreateSymbolicLink(Path.Combine(root, "link-git"), ".git");
            await RunHostAsync("ln", Path.Combine(outside, "canary.txt"), Path.Combine(root, "hard-canary"));
            return setup;
        }

        public void AssertCanariesUntouched()
        {
            foreach (var (path, content) in _canaries)
            {
                Assert.Equal(content, File.ReadAllText(path));
            }

            var parent = Path.GetDirectoryName(Workspace.RootPath)!;
            var expected = new HashSet<string>(_canaries.Keys.Select(Path.GetDirectoryName)!, StringComparer.Ordinal) { Workspace.RootPath };
            foreach (var folder in new[] { parent, Outside, Path.Combine(parent, "prj_test-sibling") })
            {
                var unexpected = Directory.EnumerateFileSystemEntries(folder)
                    .Where(e => !_canaries.ContainsKey(e) && !expected.Contains(e))
                    .ToList();
                Assert.True(unexpected.Count == 0, "Created outside the workspace: " + string.Join(", ", unexpected));
            }
        }

        public ValueTask DisposeAsync() => _scratch.DisposeAsync();

        private void Canary(string path)
        {
            File.WriteAllText(path, CanaryText);
            _canaries[path] = CanaryText;
        }
    }
}
