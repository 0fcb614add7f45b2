using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using VirtualItCompany.Agents;
using VirtualItCompany.Providers.Offline;
using VirtualItCompany.Security;
using VirtualItCompany.Workspace;

namespace VirtualItCompany.Tests.Security;

/// <summary>Twenty canary secrets (in the environment, the configuration, the brief and so in the model's answers) reach no sink.</summary>
public sealed class SecretRedactionTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("key sk-proj-abcdefghijklmnopqrstuvwxyz0123 end", "[secret:openai-key]")]
    [InlineData("key sk-ant-api03-abcdefghijklmnopqrstuv end", "[secret:anthropic-key]")]
    [InlineData("key gsk_abcdefghijklmnopqrstuvwxyz012345 end", "[secret:groq-key]")]
    [InlineData("id AKIAABCDEFGHIJKLMNOP end", "[secret:aws-access-key]")]
    [InlineData("aws_secret_access_key = abcdefghijABCDEFGHIJ0123456789abcdefghij", "[secret:aws-secret-key]")]
    [InlineData("token ghp_abcdefghijklmnopqrstuvwxyz0123456789 end", "[secret:github-token]")]
    [InlineData("Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.payload.sig", "[secret:bearer-token]")]
    [InlineData("-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----", "[secret:private-key]")]
    public void Common_key_shapes_are_replaced_by_a_placeholder(string text, string placeholder)
    {
        var redacted = SecretRedactor.PatternsOnly.Redact(text);

        Assert.Contains(placeholder, redacted, StringComparison.Ordinal);
        Assert.DoesNotContain("abcdefghijklmnop", redacted, StringComparison.Ordinal);
    }

    [Fact]
    public void A_configured_secret_becomes_a_placeholder_with_its_name_and_ordinary_text_is_left_alone()
    {
        var redactor = new SecretRedactor([new("DbPassword", "hunter2-is-long")], fromEnvironment: false);

        Assert.Equal("connect with [secret:DbPassword] please", redactor.Redact("connect with hunter2-is-long please"));
        const string Plain = "A recipe box for a small cafe; sk- is not a key.";
        Assert.Same(Plain, redactor.Redact(Plain));
        Assert.Equal("config/secret-DbPassword.txt", redactor.RedactPath("config/hunter2-is-long.txt"));
    }

    [Fact]
    public async Task Twenty_canary_secrets_reach_no_event_log_artifact_commit_file_child_environment_or_model_request()
    {
        var suffix = Guid.NewGuid().ToString("N")[..12];
        var environment = Enumerable.Range(0, 8).Select(i => ($"VIC_CANARY_API_KEY_{i}", $"canary-env-{i}-{suffix}")).ToArray();
        var configured = Enumerable.Range(0, 6).Select(i => ($"ClientPassword{i}", $"canary-configured-{i}-{suffix}")).ToArray();
        string[] shaped =
        [
            $"sk-proj-canary{suffix}abcdefghijkl", $"sk-ant-api03-canary{suffix}abcd", $"gsk_canary{suffix}abcdefghijklmnop",
            "AKIACANARY" + suffix[..10].ToUpperInvariant(), $"ghp_canary{suffix}abcdefghijklmnopqrstu", $"Bearer canarybearer{suffix}xyz",
        ];
        var canaries = environment.Select(e => e.Item2).Concat(configured.Select(c => c.Item2)).Concat(shaped.Select(s => s.Replace("Bearer ", "", StringComparison.Ordinal))).ToArray();
        Assert.Equal(20, canaries.Length);
        foreach (var (name, value) in environment)
        {
            Environment.SetEnvironmentVariable(name, value);
        }

        var root = Directory.CreateTempSubdirectory("vic-secrets-").FullName;
        var requests = new ConcurrentQueue<string>();
        var logs = new ConcurrentQueue<string>();
        try
        {
            var builder = Host.CreateApplicationBuilder();
            builder.Logging.ClearProviders();
            builder.Logging.SetMinimumLevel(LogLevel.Trace);
            builder.Logging.AddProvider(new CollectingLoggerProvider(logs));
            builder.Services.Configure<WorkspaceOptions>(o => { o.RootDirectory = root; o.AllowedCommands.Add("sh"); });
            builder.Services.Configure<AgentOptions>(o => o.MonitoringInterval = TimeSpan.FromMilliseconds(100));
            builder.Services.AddVirtualItCompany(o =>
                {
                    o.Workers = 4;
                    foreach (var (name, value) in configured)
                    {
                        o.Secrets[name] = value;
                    }
                })
                .AddModel(OfflineModel.Profile, _ => new CapturingChatClient(OfflineModel.CreateChatClient(), requests))
                .AddWorker();
            using var host = builder.Build();
            await host.StartAsync(Ct);
            var company = host.Services.GetRequiredService<IDeliveryCompany>();
            var secretsText = string.Join(" ", environment.Select(e => e.Item2).Concat(configured.Select(c => c.Item2)).Concat(shaped));
            var brief = new ProjectBrief
            {
                Title = "Recipe box " + configured[0].Item2,
                Description = "A small service where a cafe keeps its recipes. Use these keys: " + secretsText,
                AcceptanceCriteria = ["Lists the recipes", "Uses key " + shaped[0], "Shows one recipe " + environment[0].Item2],
                Budget = 2m,
            };

            var project = await company.SubmitAsync(brief, Ct);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            timeout.CancelAfter(TimeSpan.FromMinutes(5));
            await foreach (var e in company.WatchAsync(project.Id, cancellationToken: timeout.Token))
            {
                if (e is ClientInputRequested { Kind: ClientInputKind.Review })
                {
                    await company.ApproveAsync(project.Id, "Looks right.", Ct);
                }
                else if (e is ClientInputRequested)
                {
                    await company.AnswerAsync(project.Id, "Yes, as in the brief.", Ct);
                }
            }

            var sinks = new StringBuilder();
            await foreach (var e in host.Services.GetRequiredService<IProjectStore>().ReadEventsAsync(project.Id, cancellationToken: Ct))
            {
                sinks.Append(ProjectEventSerializer.Serialize(e)).Append('\n');
            }

            var artifacts = host.Services.GetRequiredService<IArtifactStore>();
            await foreach (var artifact in artifacts.ListAsync(project.Id, Ct))
            {
                sinks.Append(artifact.Path).Append('\n');
                sinks.Append(Encoding.UTF8.GetString((await artifacts.ReadAsync(project.Id, artifact.Path, cancellationToken: Ct))!.Value.Span)).Append('\n');
            }

            var workspace = await host.Services.GetRequiredService<IWorkspaceProvider>().GetWorkspaceAsync(project.Id, Ct);
            foreach (var file in await workspace.ListFilesAsync("", Ct))
            {
                sinks.Append(file).Append('\n').Append(await workspace.ReadFileAsync(file, Ct)).Append('\n');
            }

            sinks.Append((await workspace.RunAsync(new CommandRequest(["git", "log", "--all", "-p", "--format=%H %an %ae%n%B"]), Ct)).Output);
            sinks.Append((await workspace.RunAsync(new CommandRequest(["sh", "-c", "env"]), Ct)).Output);
            foreach (var pid in Workspace.ProcessProbe.FindByArgument(workspace.RootPath))
            {
                try
                {
                    sinks.Append(File.ReadAllText($"/proc/{pid}/environ").Replace('\0', '\n'));
                }
                catch (IOException)
                {
                    // It ended while we looked.
                }
            }

            await host.StopAsync(CancellationToken.None);
            var requestText = string.Join('\n', requests);
            var logText = string.Join('\n', logs);
            Assert.NotEmpty(requests);
            Assert.Contains("[secret:", requestText, StringComparison.Ordinal); // the brief reached the model, redacted
            foreach (var canary in canaries)
            {
                Assert.DoesNotContain(canary, sinks.ToString(), StringComparison.Ordinal);
                Assert.DoesNotContain(canary, requestText, StringComparison.Ordinal);
                Assert.DoesNotContain(canary, logText, StringComparison.Ordinal);
            }
        }
        finally
        {
            foreach (var (name, _) in environment)
            {
                Environment.SetEnvironmentVariable(name, null);
            }

            try
            {
                Directory.Delete(root, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    /// <summary>Records every request as the model receives it (after the company's pipeline).</summary>
    private sealed class CapturingChatClient(IChatClient inner, ConcurrentQueue<string> requests) : DelegatingChatClient(inner)
    {
        public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            var list = messages.ToList();
            requests.Enqueue(JsonSerializer.Serialize(list.Select(m => string.Join(' ', m.Contents.Select(Describe))).ToArray(), TestJson.Options));
            return base.GetResponseAsync(list, options, cancellationToken);
        }

        private static string Describe(AIContent content) => content switch
        {
            TextContent t => t.Text,
            FunctionResultContent r => r.Result?.ToString() ?? "",
            FunctionCallContent c => string.Join(' ', c.Arguments?.Values.Select(v => v?.ToString()) ?? []),
            _ => content.ToString() ?? "",
        };
    }

    private static class TestJson
    {
        public static readonly JsonSerializerOptions Options = new() { TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver() };
    }

    private sealed class CollectingLoggerProvider(ConcurrentQueue<string> logs) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Collector(logs);

        public void Dispose()
        {
        }

        private sealed class Collector(ConcurrentQueue<string> logs) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                logs.Enqueue(formatter(state, exception) + " " + exception);
        }
    }
}
