using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using VirtualItCompany;
using VirtualItCompany.Providers.Offline;

namespace PackageSnippets;

/// <summary>src/VirtualItCompany.Providers.Offline/README.md: the offline model in the company, and on its own.</summary>
internal static class OfflineSnippets
{
    public static async Task<string> RunAsync()
    {
        var services = new ServiceCollection();
        // README:start
        services.AddVirtualItCompany().AddOfflineModel();   // the model of every agent call in the company

        // or on its own, as any IChatClient
        IChatClient model = OfflineModel.CreateChatClient(new OfflineModelOptions { MaxFeatures = 4 });
        ChatResponse response = await model.GetResponseAsync("Describe a recipe box for a small cafe.");
        Console.WriteLine($"{response.ModelId}: {response.Text}");   // offline-no-ai: [Offline model, no AI] ...
        // README:end
        if (response.ModelId != OfflineModel.ModelId || !response.Text.StartsWith("[Offline model, no AI]", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"The offline model answered as {response.ModelId}: {response.Text}");
        }

        await using var provider = services.BuildServiceProvider();
        return $"answers as {response.ModelId}; {provider.GetServices<ModelRegistration>().Count()} model registered in the company";
    }
}
