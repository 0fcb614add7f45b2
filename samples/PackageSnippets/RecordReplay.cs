using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using VirtualItCompany;
using VirtualItCompany.Providers.Offline;

namespace PackageSnippets;

/// <summary>
/// src/VirtualItCompany/README.md and the root README's "Test your pipeline in CI" and "Local models": recording a run's
/// model calls once, replaying them with the model absent, per client and on the company; a local model's profile.
/// The offline model stands in for the real client that is recorded.
/// </summary>
internal static class RecordReplaySnippets
{
    public static async Task<string> RunAsync()
    {
        string folder = Directory.CreateTempSubdirectory("vic-snippets-").FullName;
        try
        {
            Directory.SetCurrentDirectory(folder);
            IChatClient realClient = OfflineModel.CreateChatClient();
            ChatMessage[] question = [new(ChatRole.User, "# Task: Summarise\n\n## Brief title\nRecipes")];
            // README:start
            // Once, with the real model (and its key): every call and its answer go to the file.
            IChatClient recording = new ChatClientBuilder(realClient).UseRecording("recordings/chat.json").Build();
            var recorded = await recording.GetResponseAsync(question);

            // In CI, without the model: the same calls are answered from the file, and any other call throws
            // ChatReplayMismatchException naming the nearest recorded call and where the two differ.
            IChatClient replay = new ChatClientBuilder(realClient).UseReplay("recordings/chat.json").Build();
            var replayed = await replay.GetResponseAsync(question);
            // README:end
            if (replayed.Text != recorded.Text)
            {
                throw new InvalidOperationException("The replayed answer is not the recorded one.");
            }

            string company = await CompanyAsync(OfflineModel.Profile, realClient);
            return $"a call recorded and replayed ({replayed.Text.Length} characters); {company}";
        }
        finally
        {
            Directory.SetCurrentDirectory(AppContext.BaseDirectory);
            Directory.Delete(folder, recursive: true);
        }
    }

    public static async Task<string> LocalModelAsync()
    {
        IChatClient ollamaClient = OfflineModel.CreateChatClient();   // stands in for an Ollama client
        var builder = Host.CreateApplicationBuilder();
        // README:start
        var qwen = new ModelProfile
        {
            Id = "ollama/qwen2.5:14b",
            Provider = "ollama",
            ModelId = "qwen2.5:14b",
            Pricing = ModelPricing.Free,
            IsLocal = true,
            QualityTier = 2,
            // No JsonSchema: the agents write the schema into the prompt and read the JSON out of the answer.
            Capabilities = ModelCapabilities.Tools | ModelCapabilities.Code,
        };
        builder.Services.AddVirtualItCompany(o => o.Workers = 1)
            .AddModel(qwen, sp => ollamaClient)
            .AddWorker();
        builder.Services.Configure<VirtualItCompany.Agents.AgentOptions>(o => o.StructuredAnswerRepairs = 2);
        // README:end
        using var host = builder.Build();
        await host.StartAsync();
        await host.StopAsync();
        return "a local model without JSON-schema output registered";
    }

    private static async Task<string> CompanyAsync(ModelProfile profile, IChatClient realClient)
    {
        var record = Host.CreateApplicationBuilder();
        // README:start
        // Record a delivery once against the real models...
        record.Services.AddVirtualItCompany()
            .AddModel(profile, sp => realClient)
            .UseModelCallRecording("recordings/delivery.json")
            .AddWorker();
        // README:end
        var events = await DeliverAsync(record);

        var replay = Host.CreateApplicationBuilder();
        // README:start
        // ...and replay it in CI: the profiles route and charge as recorded; the clients are never created.
        replay.Services.AddVirtualItCompany()
            .AddModel(profile, sp => throw new InvalidOperationException("No model in CI."))
            .UseModelCallReplay("recordings/delivery.json")
            .AddWorker();
        // README:end
        var replayed = await DeliverAsync(replay);
        if (!events.SequenceEqual(replayed))
        {
            throw new InvalidOperationException("The replayed delivery differs from the recorded one:\n" + string.Join("\n", events) + "\n---\n" + string.Join("\n", replayed));
        }

        return $"a delivery recorded and replayed, {replayed.Count} events alike";
    }

    private static async Task<List<string>> DeliverAsync(HostApplicationBuilder builder)
    {
        builder.Services.Configure<VirtualItCompany.Runtime.CompanyOptions>(o => o.Workers = 1);
        builder.Services.Configure<VirtualItCompany.Agents.AgentOptions>(o => o.MonitoringInterval = TimeSpan.Zero);
        builder.Services.AddSingleton<IWorkspaceProvider>(new VirtualItCompany.Testing.InMemoryWorkspaceProvider());
        using var host = builder.Build();
        await host.StartAsync();
        try
        {
            var company = host.Services.GetRequiredService<IDeliveryCompany>();
            var project = await company.SubmitAsync(new ProjectBrief { Title = "Recipes", Description = "Keeps recipes.", AcceptanceCriteria = ["lists recipes"], Budget = 1m });
            var stages = new List<string>();
            await foreach (var e in company.WatchAsync(project.Id))
            {
                if (e is StageChanged or ModelCallCompleted or ProjectCompleted)
                {
                    stages.Add(e is ModelCallCompleted c ? $"{c.Role} {c.Stage} {c.InputTokens}+{c.OutputTokens}" : e.GetType().Name + " " + (e as StageChanged)?.To);
                }

                if (e is ClientInputRequested { Kind: ClientInputKind.Review })
                {
                    await company.ApproveAsync(project.Id, "Approved.");
                }
            }

            return stages;
        }
        finally
        {
            await host.StopAsync();
        }
    }
}
