using System.Text.Json;
using Microsoft.Extensions.AI;
using VirtualItCompany.Chat;
using VirtualItCompany.DependencyInjection;
using VirtualItCompany.Tests.Chat.StructuredOutput;

namespace VirtualItCompany.Tests.Chat.ToolCalls;

/// <summary>Tool calling for a model whose profile lacks native tool calling: tools in the prompt, calls read from the answer's text.</summary>
public sealed class PromptedToolsChatClientTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly AIFunction Write = AIFunctionFactory.Create((string path, string content) => "written", "write_file", "Writes a file.");

    private static readonly AIFunction Read = AIFunctionFactory.Create((string path) => "text", "read_file", "Reads a file.");

    private static ChatOptions Tools() => new() { Tools = [Write, Read] };

    private static ToolCallText.Reading ReadCalls(string text) => ToolCallText.Read(text, [Write, Read]);

    [Theory]
    [InlineData("""{"tool_calls": [{"name": "read_file", "arguments": {"path": "a.txt"}}]}""")]
    [InlineData("I will read it first.\n```json\n{\"tool_calls\": [{\"name\": \"read_file\", \"arguments\": {\"path\": \"a.txt\",},}]}\n```\nThen I decide.")]
    [InlineData("""Calling: {"name": "read_file", "arguments": {"path": "a.txt"}} now.""")]
    [InlineData("""{"tool_calls": [{"function": {"name": "read_file", "arguments": "{\"path\": \"a.txt\"}"}}]}""")]
    [InlineData("""{"tool_calls": {"tool": "read_file", "parameters": {"path": "a.txt"}}}""")]
    public void A_call_is_read_from_fenced_chatty_or_vendor_shaped_json(string answer)
    {
        var reading = ReadCalls(answer);

        Assert.Null(reading.Problem);
        var call = Assert.Single(reading.Calls);
        Assert.Equal("read_file", call.Name);
        Assert.Equal("a.txt", Assert.IsType<JsonElement>(call.Arguments["path"]).GetString());
    }

    [Theory]
    [InlineData("The file says hello.")]
    [InlineData("""{"name": "Recipe box", "arguments": ["it is small"]}""")]
    [InlineData("""{"summary": "done", "files": ["a.txt"]}""")]
    public void A_final_answer_is_not_taken_for_a_call_even_when_it_is_json(string answer)
    {
        var reading = ReadCalls(answer);

        Assert.Empty(reading.Calls);
        Assert.Null(reading.Problem);
    }

    [Theory]
    [InlineData("""{"tool_calls": [{"name": "delete_all", "arguments": {}}]}""", "there is no tool named 'delete_all'; the tools are write_file, read_file")]
    [InlineData("""{"tool_calls": [{"name": "write_file", "arguments": {"path": "a.txt"}}]}""", "the call of write_file lacks the required argument content")]
    [InlineData("""{"tool_calls": [{"name": "read_file", "arguments": ["a.txt"]}]}""", "the arguments of the call of read_file are not a JSON object")]
    [InlineData("""{"tool_calls": []}""", "\"tool_calls\" holds no call")]
    [InlineData("""{"tool_calls": [{"name": "read_file", "arguments": {"path": "a.t""", "it names \"tool_calls\" but holds no complete JSON object")]
    public void An_unusable_call_is_a_problem_the_model_can_be_shown_never_a_guess(string answer, string problem)
    {
        var reading = ReadCalls(answer);

        Assert.Empty(reading.Calls);
        Assert.StartsWith(problem, reading.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_model_gets_the_tools_in_its_last_user_message_and_no_tools_in_its_options()
    {
        var model = new ScriptedChatClient("""{"tool_calls": [{"name": "write_file", "arguments": {"path": "a.txt", "content": "hi"}}, {"name": "read_file", "arguments": {"path": "b.txt"}}]}""");
        using var client = new PromptedToolsChatClient(model);
        var options = Tools();
        options.Temperature = 0.1f;

        var response = await client.GetResponseAsync([new(ChatRole.System, "You develop."), new(ChatRole.User, "Write a.txt.")], options, Ct);

        var (messages, sent) = Assert.Single(model.Calls);
        Assert.Null(sent!.Tools);
        Assert.Null(sent.ToolMode);
        Assert.Equal(0.1f, sent.Temperature);
        Assert.Equal(2, options.Tools!.Count);
        Assert.StartsWith("Write a.txt.\n\n" + PromptedToolsChatClient.SectionHeading, messages[1].Text, StringComparison.Ordinal);
        Assert.Contains("### write_file\nWrites a file.", messages[1].Text, StringComparison.Ordinal);
        Assert.Equal(ChatFinishReason.ToolCalls, response.FinishReason);
        var calls = response.Messages.Single().Contents.OfType<FunctionCallContent>().ToList();
        Assert.Equal(["write_file", "read_file"], calls.Select(c => c.Name));
        Assert.Equal(["prompted-call-1", "prompted-call-2"], calls.Select(c => c.CallId));
        Assert.Equal(15, response.Usage!.TotalTokenCount);
    }

    [Fact]
    public async Task A_required_tool_mode_is_said_in_the_prompt()
    {
        var model = new ScriptedChatClient("ok");
        using var client = new PromptedToolsChatClient(model);
        var options = Tools();
        options.ToolMode = ChatToolMode.RequireSpecific("read_file");

        await client.GetResponseAsync([new(ChatRole.User, "Look.")], options, Ct);

        Assert.Contains("Now you must call the tool read_file.", Assert.Single(model.Calls).Messages[^1].Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Calls_without_tools_pass_through_untouched()
    {
        var model = new ScriptedChatClient("""{"tool_calls": [{"name": "read_file", "arguments": {"path": "b.txt"}}]}""");
        using var client = new PromptedToolsChatClient(model);
        ChatMessage[] asked = [new(ChatRole.User, "Hi.")];

        var response = await client.GetResponseAsync(asked, new ChatOptions(), Ct);

        Assert.Equal("Hi.", Assert.Single(Assert.Single(model.Calls).Messages).Text);
        Assert.DoesNotContain(response.Messages.SelectMany(m => m.Contents), c => c is FunctionCallContent);
    }

    [Fact]
    public async Task With_function_invocation_the_tool_runs_and_a_stream_gives_the_final_answer()
    {
        var model = new ScriptedChatClient("```json\n{\"tool_calls\": [{\"name\": \"read_file\", \"arguments\": {\"path\": \"b.txt\"}}]}\n```", "It says text.");
        using var client = new ChatClientBuilder(new PromptedToolsChatClient(model)).UseFunctionInvocation().Build();

        var updates = await client.GetStreamingResponseAsync([new(ChatRole.User, "What does b.txt say?")], Tools(), Ct).ToListAsync(Ct);

        Assert.Equal("It says text.", updates.ToChatResponse().Messages[^1].Text);
        var second = model.Calls.ElementAt(1).Messages;
        Assert.Equal([ChatRole.User, ChatRole.Assistant, ChatRole.User], second.Select(m => m.Role));
        Assert.Equal("""{"tool_calls":[{"name":"read_file","arguments":{"path":"b.txt"}}]}""", second[1].Text);
        Assert.StartsWith("### Result of read_file\n```\ntext\n```", second[2].Text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_model_without_tools_in_its_profile_is_served_through_the_prompt_one_with_them_as_it_is()
    {
        static ModelProfile Profile(ModelCapabilities capabilities) => new() { Id = "test/model", Provider = "test", ModelId = "model", Pricing = ModelPricing.Free, Capabilities = capabilities };
        var capable = new ScriptedChatClient("{}");
        var local = new ScriptedChatClient("{}");

        var servedCapable = CompanyChatPipeline.Served(Profile(ModelCapabilities.Tools | ModelCapabilities.JsonSchema), capable);
        var servedLocal = CompanyChatPipeline.Served(Profile(ModelCapabilities.Code), local);

        Assert.Same(capable, servedCapable.Client);
        Assert.IsType<PromptedToolsChatClient>(servedLocal.Client);
        Assert.NotNull(servedLocal.Client.GetService<PromptedJsonChatClient>());
        Assert.Same(local, servedLocal.Client.GetService<ScriptedChatClient>());
        Assert.Equal(ModelCapabilities.Code | ModelCapabilities.Tools | ModelCapabilities.JsonSchema, servedLocal.Profile.Capabilities);
    }
}
