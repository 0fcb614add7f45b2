using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using VirtualItCompany;
using VirtualItCompany.Providers.Anthropic;
using VirtualItCompany.Providers.Offline;

namespace PackageSnippets;

/// <summary>
/// src/VirtualItCompany/README.md and the root README's "Many models, routed by cost": the company registered in a host.
/// Each host is started (which validates the options, the lifecycle's agents and that every routing band has a model)
/// and stopped; samples/InYourApp runs a whole delivery.
/// </summary>
internal static class CompanySnippets
{
    public static async Task<string> RunAsync()
    {
        var builder = Host.CreateApplicationBuilder();
        // README:start
        builder.Services.AddVirtualItCompany(o => o.Workers = 4)
            .AddOfflineModel()                       // VirtualItCompany.Providers.Offline: the stand-in, no AI
            .ConfigureChatPipeline(p => p.UseLogging())   // your middleware on every agent call (optional)
            .AddWorker();
        // README:end
        return await StartAndStopAsync(builder);
    }

    public static Task<string> RunManyModelsAsync()
    {
        // Stand-ins for real clients: the offline model behind each profile.
        var builder = Host.CreateApplicationBuilder();
        AddModels(builder, OfflineModel.CreateChatClient(), OfflineModel.CreateChatClient(), OfflineModel.CreateChatClient());
        return StartAndStopAsync(builder);
    }

    private static void AddModels(HostApplicationBuilder builder, IChatClient haikuClient, IChatClient sonnetClient, IChatClient opusClient)
    {
        // README:start
        builder.Services.AddVirtualItCompany()
            .AddModel(AnthropicModels.ClaudeHaiku, sp => haikuClient)     // 1-3
            .AddModel(AnthropicModels.ClaudeSonnet, sp => sonnetClient)   // 4-7
            .AddModel(AnthropicModels.ClaudeOpus, sp => opusClient)       // 8-10, or a policy of your own
            .ConfigureChatPipeline(p => p.UseLogging())   // your middleware: caching, logging, a content filter
            .AddWorker();
        // README:end
    }

    private static async Task<string> StartAndStopAsync(HostApplicationBuilder builder)
    {
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(10));
        using var host = builder.Build();
        await host.StartAsync();
        var company = host.Services.GetRequiredService<IDeliveryCompany>();
        await host.StopAsync();
        return $"host started and stopped with {host.Services.GetServices<ModelRegistration>().Count()} model(s) registered, {company.GetType().Name} ready";
    }
}
