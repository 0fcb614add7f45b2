using System.Text.Json;
using Microsoft.Extensions.AI;
using VirtualItCompany.Chat;
using VirtualItCompany.DependencyInjection;

namespace VirtualItCompany.Tests.Chat.StructuredOutput;

/// <summary>Structured output for a model whose profile lacks JSON-schema output: the schema goes into the prompt, the answer's JSON is read back.</summary>
public sealed class PromptedJsonChatClientTests
{
    private static readonly JsonElement Schema = JsonDocument.Parse("""{"type":"object","properties":{"summary":{"type":"string"}},"required":["summary"]}""").RootElement;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static ModelProfile Profile(ModelCapabilities capabilities) => new()
    {
        Id = "test/model",
        Provider = "test",
        ModelId = "model",
        Pricing = ModelPricing.Free,
        Capabilities = capabilities,
    };

    [Fact]
    public async Task The_schema_is_written_into_the_last_user_message_and_no_response_format_reaches_the_model()
    {
        var model = new ScriptedChatClient("Sure! Here you go:\n```json\n{\"summary\": \"ok\",}\n```\nAnything else?");
        using var client = new PromptedJsonChatClient(model);
        var options = new ChatOptions { ResponseFormat = ChatResponseFormat.ForJsonSchema(Schema, "Notes", "Design notes."), Temperature = 0.2f };

        var response = await client.GetResponseAsync([new(ChatRole.System, "You design."), new(ChatRole.User, "Design it.")], options, Ct);

        var (messages, sent) = Assert.Single(model.Calls);
        Assert.Null(sent!.ResponseFormat);
        Assert.Equal(0.2f, sent.Temperature);
        Assert.Equal(2, messages.Count);
        Assert.Equal("You design.", messages[0].Text);
        string user = messages[1].Text;
        Assert.StartsWith("Design it.\n\n" + PromptedJsonChatClient.SectionHeading, user, StringComparison.Ordinal);
        Assert.Contains("Name: Notes", user, StringComparison.Ordinal);
        Assert.Contains("Description: Design notes.", user, StringComparison.Ordinal);
        Assert.Contains("```json\n" + Schema.GetRawText() + "\n```", user, StringComparison.Ordinal);

        // The caller's options and messages are left as they were.
        Assert.IsType<ChatResponseFormatJson>(options.ResponseFormat);
        Assert.Equal("{\"summary\":\"ok\"}", response.Text);
        Assert.Equal(15, response.Usage!.TotalTokenCount);
    }

    [Fact]
    public async Task An_answer_without_one_JSON_value_is_passed_on_as_it_came_for_the_caller_to_repair()
    {
        var model = new ScriptedChatClient("I would rather not.");
        using var client = new PromptedJsonChatClient(model);

        var response = await client.GetResponseAsync([new(ChatRole.User, "Design it.")], new ChatOptions { ResponseFormat = ChatResponseFormat.ForJsonSchema(Schema) }, Ct);

        Assert.Equal("I would rather not.", response.Text);
    }

    [Fact]
    public async Task Calls_without_a_schema_pass_through_untouched()
    {
        var model = new ScriptedChatClient("```json\n{\"a\": 1}\n```");
        using var client = new PromptedJsonChatClient(model);

        var response = await client.GetResponseAsync([new(ChatRole.User, "Say it.")], new ChatOptions(), Ct);

        Assert.Equal("Say it.", Assert.Single(model.Calls).Messages.Single().Text);
        Assert.Equal("```json\n{\"a\": 1}\n```", response.Text);
    }

    [Fact]
    public async Task A_streamed_structured_call_gets_the_schema_in_the_prompt_too()
    {
        var model = new ScriptedChatClient("{\"summary\": \"ok\"}");
        using var client = new PromptedJsonChatClient(model);

        var updates = await client.GetStreamingResponseAsync([new(ChatRole.User, "Design it.")], new ChatOptions { ResponseFormat = ChatResponseFormat.ForJsonSchema(Schema) }, Ct).ToListAsync(Ct);

        var (messages, sent) = Assert.Single(model.Calls);
        Assert.Null(sent!.ResponseFormat);
        Assert.Contains(PromptedJsonChatClient.SectionHeading, messages.Single().Text, StringComparison.Ordinal);
        Assert.Equal("{\"summary\": \"ok\"}", updates.ToChatResponse().Text);
    }

    [Fact]
    public void The_choice_is_made_per_model_from_its_profile_not_its_name()
    {
        var capable = new ScriptedChatClient("{}");
        var local = new ScriptedChatClient("{}");

        var servedCapable = CompanyChatPipeline.Served(Profile(ModelCapabilities.Tools | ModelCapabilities.JsonSchema), capable);
        var servedLocal = CompanyChatPipeline.Served(Profile(ModelCapabilities.Tools) with { Id = "openai/gpt-4o" }, local);

        Assert.Same(capable, servedCapable.Client);
        Assert.IsType<PromptedJsonChatClient>(servedLocal.Client);
        Assert.Same(local, servedLocal.Client.GetService<ScriptedChatClient>());
        // The router may now choose the local model for structured calls; its other capabilities are its own.
        Assert.Equal(ModelCapabilities.Tools | ModelCapabilities.JsonSchema, servedLocal.Profile.Capabilities);
    }
}
