using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VirtualItCompany.Agents;
using VirtualItCompany.Agents.Tools;
using VirtualItCompany.Chat;
using VirtualItCompany.Chat.Recording;
using VirtualItCompany.Diagnostics;
using VirtualItCompany.Routing;

namespace VirtualItCompany.DependencyInjection;

/// <summary>
/// The company's one chat pipeline, built once with <see cref="ChatClientBuilder"/>: function invocation (bounded by <see cref="AgentOptions"/>), Microsoft.Extensions.AI's
/// OpenTelemetry, the middleware the app adds (<c>ConfigureChatPipeline</c>), then the cost-aware router over every registered model.
/// </summary>
internal sealed class CompanyChatPipeline
{
    private CompanyChatPipeline(IChatClient client) => Client = client;

    public IChatClient Client { get; }

    public static CompanyChatPipeline Create(IServiceProvider services)
    {
        var registrations = services.GetServices<ModelRegistration>().ToList();
        if (registrations.Count == 0 && services.GetService<IChatClient>() is { } client)
        {
            // An IChatClient registered directly is the company's one model, routed (budgeted, explained) like any other.
            registrations.Add(new ModelRegistration(ProfileOf(client), _ => client));
        }

        if (registrations.Count == 0)
        {
            throw new InvalidOperationException("No model is registered. Add one to the company: AddOfflineModel() for the offline stand-in (no AI), or AddModel(profile, client) for a real model; with more than one, calls are routed to the cheapest that can do each.");
        }

        var loggerFactory = services.GetService<ILoggerFactory>();
        var agentOptions = services.GetService<IOptions<AgentOptions>>()?.Value ?? new AgentOptions();
        var builder = CostAwareRouting.CreateBuilder()
            // Microsoft.Extensions.AI's function invocation, bounded by the agents' options (rounds, failing rounds, unknown tools).
            .Use((inner, sp) => new AgentFunctionInvokingChatClient(inner, agentOptions, loggerFactory, sp))
            .UseOpenTelemetry(loggerFactory, CompanyTelemetry.ChatSourceName);
        foreach (var configuration in services.GetServices<ChatPipelineConfiguration>())
        {
            configuration.Configure(builder);
        }

        // Last before routing: what reaches any model (prompts, briefs, tool results) and what comes back is redacted.
        var redactor = services.GetService<VirtualItCompany.Security.SecretRedactor>() ?? VirtualItCompany.Security.SecretRedactor.PatternsOnly;
        builder.Use(inner => new VirtualItCompany.Security.RedactingChatClient(inner, redactor));
        var recording = services.GetService<ModelCallRecording>();
        var file = recording is null ? null : recording.Replay ? ChatRecordingFile.Load(recording.Path) : ChatRecordingFile.ForRecording(recording.Path);
        var models = registrations.Select(r => Served(r.Profile, ClientOf(r, services, recording, file)));
        return new CompanyChatPipeline(builder.UseCostAwareRouting(models, services.GetRequiredService<IOptions<RoutingOptions>>().Value).Build(services));
    }

    /// <summary>The model's own client; recorded, or (replaying) a recording in its place: the model's client is then never created.</summary>
    private static IChatClient ClientOf(ModelRegistration registration, IServiceProvider services, ModelCallRecording? recording, ChatRecordingFile? file) =>
        recording is null ? registration.CreateClient(services)
        : recording.Replay ? new ReplayChatClient(null, file!, registration.Profile.Id)
        : new RecordingChatClient(registration.CreateClient(services), file!, registration.Profile.Id);

    /// <summary>
    /// The model as the router is given it. A model whose profile lacks <see cref="ModelCapabilities.JsonSchema"/> is served
    /// through <see cref="PromptedJsonChatClient"/> (schema in the prompt, tolerant reading), and one whose profile lacks
    /// <see cref="ModelCapabilities.Tools"/> through <see cref="PromptedToolsChatClient"/> (tools in the prompt, its calls read
    /// from its text), so the router may choose it for such calls; the choice is per model, from its profile, whichever
    /// model a call is routed to.
    /// </summary>
    internal static RoutedModel Served(ModelProfile profile, IChatClient client)
    {
        var capabilities = profile.Capabilities;
        if ((capabilities & ModelCapabilities.JsonSchema) == 0)
        {
            client = new PromptedJsonChatClient(client);
            capabilities |= ModelCapabilities.JsonSchema;
        }

        if ((capabilities & ModelCapabilities.Tools) == 0)
        {
            // Outside the JSON adapter: a tool call is read from the text the model wrote, before any answer format applies.
            client = new PromptedToolsChatClient(client);
            capabilities |= ModelCapabilities.Tools;
        }

        return new RoutedModel(capabilities == profile.Capabilities ? profile : profile with { Capabilities = capabilities }, client);
    }

    private static ModelProfile ProfileOf(IChatClient client)
    {
        var metadata = client.GetService<ChatClientMetadata>();
        string model = metadata?.DefaultModelId ?? client.GetType().Name;
        var pricing = client.GetService<ModelPricing>() ?? throw new InvalidOperationException(
            $"The chat client registered for the company ({metadata?.ProviderName ?? client.GetType().Name}/{metadata?.DefaultModelId ?? "?"}) reports no {nameof(ModelPricing)}, so the cost of its calls could not be accounted. Add it with AddModel(profile, client) instead of registering an IChatClient, or make its GetService return a ModelPricing (ModelPricing.Free for a free model).");
        return new ModelProfile
        {
            Id = model,
            Provider = metadata?.ProviderName ?? "unknown",
            ModelId = model,
            Pricing = pricing,
            Capabilities = ModelCapabilities.Tools | ModelCapabilities.JsonSchema | ModelCapabilities.Vision | ModelCapabilities.Code | ModelCapabilities.Reasoning,
        };
    }
}
