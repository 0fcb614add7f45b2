using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using VirtualItCompany;
using VirtualItCompany.Providers.Anthropic;
using VirtualItCompany.Providers.Offline;
using VirtualItCompany.Routing;

namespace PackageSnippets;

/// <summary>src/VirtualItCompany.Routing/README.md: a routing pipeline over three models, and calls routed by complexity.</summary>
internal static class RoutingSnippets
{
    // Stand-ins for real clients (an Anthropic client for each model): the router only needs IChatClients.
    public static Task<string> RunAsync() =>
        RunAsync(OfflineModel.CreateChatClient(), OfflineModel.CreateChatClient(), OfflineModel.CreateChatClient());

    private static async Task<string> RunAsync(IChatClient haikuClient, IChatClient sonnetClient, IChatClient opusClient)
    {
        // README:start
        var services = new ServiceCollection()
            .AddModelRouting(o => o.GlobalBudget = 50m)        // options (bound + validated), estimator, IBudgetAccount
            .BuildServiceProvider();
        RoutedModel[] models =                                   // your clients, each with its profile: price, context, capabilities
        [
            new(AnthropicModels.ClaudeHaiku, haikuClient),
            new(AnthropicModels.ClaudeSonnet, sonnetClient),
            new(AnthropicModels.ClaudeOpus, opusClient),
        ];

        IChatClient client = CostAwareRouting.CreateBuilder()
            .UseOpenTelemetry()                                  // middleware goes before the router: it wraps it
            .UseCostAwareRouting(models, services.GetRequiredService<IOptions<RoutingOptions>>().Value)
            .Build(services);                                    // IBudgetAccount, TimeProvider, estimator, logging from here
        // README:end

        // README:start
        var response = await client.GetResponseAsync("Rename a variable.", new ChatOptions().WithComplexity(2));
        RoutingDecision decision = response.GetRoutingDecision()!;   // Claude Haiku: the candidates, why, the cost
        // README:end
        var hard = (await client.GetResponseAsync("Design the billing system.", new ChatOptions().WithComplexity(9))).GetRoutingDecision()!;
        client.Dispose();
        await services.DisposeAsync();
        if (decision.ChosenModelId != AnthropicModels.ClaudeHaiku.Id || hard.ChosenModelId != AnthropicModels.ClaudeOpus.Id || decision.ActualCost is not > 0m)
        {
            throw new InvalidOperationException($"Complexity 2 went to {decision.ChosenModelId} (${decision.ActualCost}), 9 to {hard.ChosenModelId}.");
        }

        string feedback = OutcomeFeedback();
        return $"complexity {decision.Complexity} -> {decision.ChosenModelId} (${decision.ActualCost:0.######}), complexity {hard.Complexity} -> {hard.ChosenModelId}; {feedback}";
    }

    private static string OutcomeFeedback()
    {
        var services = new ServiceCollection();
        // README:start
        services.AddModelRouting(o =>
        {
            o.OutcomeFeedback.Enabled = true;             // off by default; the verdict rates are shown either way
            o.OutcomeFeedback.MinVerdicts = 3;            // at least 3 verdicts on a stage's normal-band work,
            o.OutcomeFeedback.RaiseAtSentBackRate = 0.6;  // 60% of them sent back: that role's calls there move up a band
            o.OutcomeFeedback.LowerAfterAcceptances = 5;  // 5 acceptances in a row at the higher band: back down
        });
        // README:end
        using var provider = services.BuildServiceProvider();
        var options = provider.GetRequiredService<IOptions<RoutingOptions>>().Value.OutcomeFeedback;
        if (!options.Enabled || options.MinVerdicts != 3 || options.LowerAfterAcceptances != 5)
        {
            throw new InvalidOperationException("The outcome-feedback options were not applied.");
        }

        return "outcome feedback on";
    }
}
