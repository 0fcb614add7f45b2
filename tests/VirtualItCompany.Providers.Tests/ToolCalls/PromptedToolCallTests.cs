using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using VirtualItCompany.DependencyInjection;
using VirtualItCompany.Providers.Ollama;
using VirtualItCompany.Providers.Tests.Wire;
using VirtualItCompany.Testing;
using VirtualItCompany.Testing.Conformance;

namespace VirtualItCompany.Providers.Tests.ToolCalls;

/// <summary>
/// Tool calling for a model whose profile has no native tool calling (Code Llama on Ollama), through the company's chat
/// pipeline and OllamaSharp against a server speaking Ollama's /api/chat: the tools go into the prompt, the tool call the model
/// writes in its text is run by Microsoft.Extensions.AI's function invocation, and its result is fed back as text.
/// </summary>
public sealed class PromptedToolCallTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed class Stock
    {
        public List<(string Sku, int Warehouse)> Calls { get; } = [];

        public AIFunction Tool => AIFunctionFactory.Create(
            (string sku, int warehouse) =>
            {
                Calls.Add((sku, warehouse));
                return 17;
            },
            "get_stock",
            "Counts the items of a SKU in a warehouse.");
    }

    private static async Task<(FakeProviderServer Server, ServiceProvider Services)> StartAsync(params string[] answers)
    {
        var server = await FakeProviderServer.StartAsync(new OllamaWire(), Ct);
        foreach (string answer in answers)
        {
            server.Enqueue(new ScriptedAnswer { Text = answer });
        }

        var services = new ServiceCollection();
        services.AddSingleton<IWorkspaceProvider>(new InMemoryWorkspaceProvider());
        services.AddVirtualItCompany().AddOllama(o =>
        {
            o.Endpoint = server.BaseAddress;
            o.Models.Add(OllamaModels.CodeLlama.ModelId);
        });
        return (server, services.BuildServiceProvider());
    }

    private static JsonArray MessagesOf(RecordedRequest request) => request.Body!["messages"]!.AsArray();

    private static string Roles(RecordedRequest request) => string.Join(",", MessagesOf(request).Select(m => m!["role"]!.GetValue<string>()));

    [Fact]
    public async Task A_model_without_tool_calling_calls_a_tool_from_its_text_and_gets_the_result_back()
    {
        Assert.False(OllamaModels.CodeLlama.Capabilities.HasFlag(ModelCapabilities.Tools));
        var (server, sp) = await StartAsync(
            "Sure, let me look that up.\n```json\n{\"tool_calls\": [{\"name\": \"get_stock\", \"arguments\": {\"sku\": \"A-1\", \"warehouse\": 2,}}]}\n```\nOne moment.",
            "There are 17 of A-1 in warehouse 2.");
        await using var _ = server;
        await using var __ = sp;
        var stock = new Stock();
        var client = sp.GetRequiredService<CompanyChatPipeline>().Client;

        var response = await client.GetResponseAsync("How many A-1 are in warehouse 2?", new ChatOptions { Tools = [stock.Tool] }, Ct);

        Assert.Equal("There are 17 of A-1 in warehouse 2.", response.Text);
        Assert.Equal([("A-1", 2)], stock.Calls);
        Assert.Equal(2, server.Requests.Count);
        Assert.All(server.Requests, r => Assert.Null(r.Body!["tools"]));
        Assert.All(server.Requests, r => Assert.Equal(OllamaModels.CodeLlama.ModelId, r.Body!["model"]!.GetValue<string>()));

        // The first call describes the tool in the user's message.
        var asked = MessagesOf(server.Requests[0])[^1]!["content"]!.GetValue<string>();
        Assert.StartsWith("How many A-1 are in warehouse 2?", asked, StringComparison.Ordinal);
        Assert.Contains("## Tools", asked, StringComparison.Ordinal);
        Assert.Contains("### get_stock", asked, StringComparison.Ordinal);
        Assert.Contains("\"warehouse\"", asked, StringComparison.Ordinal);

        // The second carries the call as the model wrote it and its result as the user's turn: no tool role the template may drop.
        Assert.Equal("user,assistant,user", Roles(server.Requests[1]));
        var sent = MessagesOf(server.Requests[1]);
        Assert.Equal("""{"tool_calls":[{"name":"get_stock","arguments":{"sku":"A-1","warehouse":2}}]}""", sent[1]!["content"]!.GetValue<string>());
        var result = sent[2]!["content"]!.GetValue<string>();
        Assert.StartsWith("### Result of get_stock\n```\n17\n```", result, StringComparison.Ordinal);
        Assert.Contains("## Tools", result, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Several_calls_in_one_answer_are_run_and_all_their_results_fed_back()
    {
        var (server, sp) = await StartAsync(
            """[{"name": "get_stock", "arguments": {"sku": "A-1", "warehouse": 1}}, {"name": "get_stock", "arguments": "{\"sku\": \"A-1\", \"warehouse\": 2}"}]""",
            "34 in all.");
        await using var _ = server;
        await using var __ = sp;
        var stock = new Stock();

        var response = await sp.GetRequiredService<CompanyChatPipeline>().Client.GetResponseAsync("How many A-1 in all?", new ChatOptions { Tools = [stock.Tool] }, Ct);

        Assert.Equal("34 in all.", response.Text);
        Assert.Equal([("A-1", 1), ("A-1", 2)], stock.Calls.OrderBy(c => c.Warehouse));
        var result = MessagesOf(server.Requests[1])[^1]!["content"]!.GetValue<string>();
        Assert.Equal(2, result.Split("### Result of get_stock").Length - 1);
    }

    [Fact]
    public async Task An_unusable_tool_call_is_shown_back_to_the_model_a_bounded_number_of_times()
    {
        var (server, sp) = await StartAsync(
            """{"tool_calls": [{"name": "get_stocks", "arguments": {"sku": "A-1", "warehouse": 2}}]}""",
            """{"tool_calls": [{"name": "get_stock", "arguments": {"sku": "A-1"}}]}""",
            """{"tool_calls": [{"name": "get_stock", "arguments": {"sku": "A-1"}}]}""");
        await using var _ = server;
        await using var __ = sp;
        var stock = new Stock();

        var response = await sp.GetRequiredService<CompanyChatPipeline>().Client.GetResponseAsync("How many A-1 are in warehouse 2?", new ChatOptions { Tools = [stock.Tool] }, Ct);

        // No tool ran on a broken call; each problem went back to the model; after two repairs the third answer is passed on as text.
        Assert.Empty(stock.Calls);
        Assert.Equal(3, server.Requests.Count);
        Assert.Contains("there is no tool named 'get_stocks'; the tools are get_stock", MessagesOf(server.Requests[1])[^1]!["content"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("the call of get_stock lacks the required argument warehouse", MessagesOf(server.Requests[2])[^1]!["content"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("user,assistant,user,assistant,user", Roles(server.Requests[2]));
        Assert.Equal("""{"tool_calls": [{"name": "get_stock", "arguments": {"sku": "A-1"}}]}""", response.Text);
        Assert.DoesNotContain(response.Messages[^1].Contents, c => c is FunctionCallContent);
    }
}
