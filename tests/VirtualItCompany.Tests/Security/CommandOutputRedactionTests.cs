using Microsoft.Extensions.AI;
using VirtualItCompany.Runtime;
using VirtualItCompany.Security;
using VirtualItCompany.Testing;

namespace VirtualItCompany.Tests.Security;

/// <summary>A secret a command prints is replaced in the result the agent sees.</summary>
public sealed class CommandOutputRedactionTests
{
    [Fact]
    public async Task A_key_a_command_prints_is_replaced_and_clean_output_is_passed_through_as_it_is()
    {
        var inner = new PrintingWorkspace();
        var workspace = new RecordingWorkspace(inner, new SecretRedactor([new("DeployToken", "tok-0123456789-secret-value")], fromEnvironment: false));
        var request = new CommandRequest(["cat", "config"]);

        inner.Output = "key=sk-proj-abcdefghijklmnopqrstuvwxyz0123\ntoken tok-0123456789-secret-value\n";
        var redacted = await workspace.RunAsync(request, TestContext.Current.CancellationToken);
        inner.Output = "Build succeeded.\n";
        var clean = await workspace.RunAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal("key=[secret:openai-key]\ntoken [secret:DeployToken]\n", redacted.Output);
        Assert.Equal(3, redacted.ExitCode);
        Assert.Same(inner.LastResult, clean);
    }

    /// <summary>A workspace whose commands print what the test says.</summary>
    private sealed class PrintingWorkspace : IProjectWorkspace
    {
        private readonly InMemoryWorkspace _files = new(new ProjectId("prj_print"));

        public string Output { get; set; } = "";

        public CommandResult? LastResult { get; private set; }

        public ProjectId ProjectId => _files.ProjectId;

        public string RootPath => _files.RootPath;

        public Task<CommandResult> RunAsync(CommandRequest request, CancellationToken cancellationToken = default) =>
            Task.FromResult(LastResult = new CommandResult(3, Output, false, TimeSpan.FromMilliseconds(5)));

        public Task<string> ReadFileAsync(string path, CancellationToken cancellationToken = default) => _files.ReadFileAsync(path, cancellationToken);

        public Task WriteFileAsync(string path, string content, CancellationToken cancellationToken = default) => _files.WriteFileAsync(path, content, cancellationToken);

        public Task<IReadOnlyList<string>> ListFilesAsync(string path = "", CancellationToken cancellationToken = default) => _files.ListFilesAsync(path, cancellationToken);

        public Task<string?> CommitAsync(string message, IReadOnlyCollection<string>? paths = null, CancellationToken cancellationToken = default) => _files.CommitAsync(message, paths, cancellationToken);

        public Task<Uri> DeployAsync(string environment, DeploymentSpec spec, CancellationToken cancellationToken = default) => _files.DeployAsync(environment, spec, cancellationToken);

        public Task<HealthChecked> CheckHealthAsync(string environment, CancellationToken cancellationToken = default) => _files.CheckHealthAsync(environment, cancellationToken);

        public Task StopAsync(string environment, CancellationToken cancellationToken = default) => _files.StopAsync(environment, cancellationToken);

        public IList<AITool> CreateFileTools(Action<string>? onFileWritten = null) => _files.CreateFileTools(onFileWritten);
    }
}
