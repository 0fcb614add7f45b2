using System.Text.Json;
using Microsoft.Extensions.AI;
using VirtualItCompany.Chat.Recording;

namespace VirtualItCompany.Tests.Chat.Recording;

/// <summary>What a recording matches on: the meaning of a request, not its ids, timestamps, whitespace or key order.</summary>
public sealed class RecordedRequestTests
{
    private static string Key(IEnumerable<ChatMessage> messages, ChatOptions? options = null, string model = "m") => RecordedRequest.From(model, messages, options).Key;

    private static List<ChatMessage> Conversation(string callId, string text, string? messageId = null, DateTimeOffset? at = null) =>
    [
        new(ChatRole.System, "You write files.") { MessageId = messageId, CreatedAt = at },
        new(ChatRole.User, text) { MessageId = messageId, CreatedAt = at },
        new(ChatRole.Assistant, [new FunctionCallContent(callId, "write_file", new Dictionary<string, object?> { ["path"] = "a.txt", ["content"] = "x" })]) { MessageId = messageId },
        new(ChatRole.Tool, [new FunctionResultContent(callId, "written")]),
    ];

    [Fact]
    public void Ids_timestamps_and_whitespace_that_do_not_change_meaning_do_not_change_the_key()
    {
        string a = Key(Conversation("call_abc", "Write the file.\nThen stop."));
        string b = Key(Conversation("toolu_01XYZ", "\r\nWrite the file.   \r\nThen stop.\r\n\r\n", messageId: "msg_9", at: DateTimeOffset.UnixEpoch));
        Assert.Equal(a, b);
    }

    [Fact]
    public void A_text_in_several_parts_is_the_same_text()
    {
        var whole = new ChatMessage(ChatRole.User, "Hello world");
        var parts = new ChatMessage(ChatRole.User, [new TextContent("Hello "), new TextContent("world")]);
        Assert.Equal(Key([whole]), Key([parts]));
    }

    [Fact]
    public void Schema_key_order_and_objects_in_additional_properties_do_not_change_the_key()
    {
        var first = new ChatOptions
        {
            ResponseFormat = ChatResponseFormat.ForJsonSchema(JsonDocument.Parse("""{"type":"object","properties":{"b":{"type":"string"},"a":{"type":"number"}}}""").RootElement),
            AdditionalProperties = new() { ["complexity"] = 4, ["context"] = new object() },
        };
        var second = new ChatOptions
        {
            ResponseFormat = ChatResponseFormat.ForJsonSchema(JsonDocument.Parse("""{"properties":{"a":{"type":"number"},"b":{"type":"string"}},"type":"object"}""").RootElement),
            AdditionalProperties = new() { ["context"] = new object(), ["complexity"] = 4 },
            ConversationId = "conv_123",
        };
        Assert.Equal(Key([new(ChatRole.User, "x")], first), Key([new(ChatRole.User, "x")], second));
    }

    [Fact]
    public void What_the_model_reads_changes_the_key()
    {
        var baseline = Key(Conversation("c1", "Write the file."));
        Assert.NotEqual(baseline, Key(Conversation("c1", "Write the files.")));
        Assert.NotEqual(baseline, Key(Conversation("c1", "Write the file."), new ChatOptions { Temperature = 0.2f }));
        Assert.NotEqual(baseline, Key(Conversation("c1", "Write the file."), model: "other"));
        Assert.NotEqual(Key([new(ChatRole.User, "a  b")]), Key([new(ChatRole.User, "a b")]));
        var tool = AIFunctionFactory.Create((string path) => path, "read_file", "Reads a file.");
        Assert.NotEqual(baseline, Key(Conversation("c1", "Write the file."), new ChatOptions { Tools = [tool] }));
    }

    [Fact]
    public void The_canonical_request_reads_as_json_with_renumbered_call_ids()
    {
        string text = RecordedRequest.From("m", Conversation("toolu_01XYZ", "Write it."), new ChatOptions { Temperature = 0.2f }).ToIndentedString();
        Assert.Contains("\"callId\": \"call_1\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain("toolu_01XYZ", text, StringComparison.Ordinal);
        Assert.Contains("\"temperature\": 0.2", text, StringComparison.Ordinal);
    }
}
