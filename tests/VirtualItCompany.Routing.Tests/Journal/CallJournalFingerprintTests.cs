using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace VirtualItCompany.Routing.Tests.Journal;

/// <summary>
/// The call key is stored in the journal: a file written before an upgrade must still answer a redelivered item's calls,
/// so the fingerprint of a request must not change when its computation does.
/// </summary>
public sealed class CallJournalFingerprintTests
{
    public static TheoryData<string> Requests => [.. Cases().Keys];

    [Theory]
    [MemberData(nameof(Requests))]
    public void The_fingerprint_is_the_same_bytes_as_the_first_versions(string name)
    {
        var (messages, options) = Cases()[name];

        Assert.Equal(Reference(messages, options), CallJournal.Fingerprint(messages, options));
    }

    [Fact]
    public void Different_requests_have_different_fingerprints()
    {
        var all = Cases().Values.Select(c => CallJournal.Fingerprint(c.Messages, c.Options)).ToList();

        Assert.Equal(all.Count, all.Distinct(StringComparer.Ordinal).Count());
    }

    private static Dictionary<string, (List<ChatMessage> Messages, ChatOptions? Options)> Cases()
    {
        var schema = AIJsonUtilities.CreateJsonSchema(typeof(Dictionary<string, int>));
        var tool = AIFunctionFactory.Create((string path, int lines) => path + lines, "read_file", "Reads a file.");
        string big = string.Concat(Enumerable.Repeat("A long prompt with ünïcödé, \"quotes\", <tags> & emoji 🚀. ", 400));
        return new(StringComparer.Ordinal)
        {
            ["one message"] = ([new(ChatRole.User, "Plan the todo service.")], null),
            ["system, user, author"] = ([new(ChatRole.System, "You are the PM."), new(ChatRole.User, "Hi") { AuthorName = "client" }], new ChatOptions()),
            ["big prompt"] = ([new(ChatRole.User, big)], new ChatOptions { ModelId = "m", Temperature = 0.2f, TopP = 0.9f, Seed = 7, Instructions = "Be brief." }),
            ["tool call and result"] = (
                [
                    new(ChatRole.User, "Read it."),
                    new(ChatRole.Assistant, [new FunctionCallContent("c1", "read_file", new Dictionary<string, object?> { ["path"] = "a.cs", ["lines"] = 3 })]),
                    new(ChatRole.Tool, [new FunctionResultContent("c1", "class A {}")]),
                ],
                new ChatOptions { Tools = [tool], ToolMode = ChatToolMode.Auto }),
            ["json schema answer"] = ([new(ChatRole.User, "Count.")], new ChatOptions { ResponseFormat = ChatResponseFormat.ForJsonSchema(schema, "counts"), AdditionalProperties = new() { ["reasoning"] = "high", ["n"] = 2, ["skip"] = new object() } }),
            ["text and data"] = ([new(ChatRole.User, [new TextContent("See:"), new DataContent(new byte[] { 1, 2, 3, 250 }, "application/octet-stream")])], new ChatOptions { ResponseFormat = ChatResponseFormat.Json }),
        };
    }

    /// <summary>The first version's computation, kept as the reference.</summary>
    private static string Reference(IReadOnlyList<ChatMessage> messages, ChatOptions? options)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var json = AIJsonUtilities.DefaultOptions;
        foreach (var message in messages)
        {
            Append(hash, "message:" + message.Role.Value + ":" + message.AuthorName);
            foreach (var content in message.Contents)
            {
                hash.AppendData(JsonSerializer.SerializeToUtf8Bytes(content, json.GetTypeInfo(typeof(AIContent))));
            }
        }

        if (options is not null)
        {
            Append(hash, "options:" + options.ModelId + ":" + options.Instructions + ":" + options.Temperature + ":" + options.TopP + ":" + options.Seed + ":" + options.ToolMode);
            if (options.ResponseFormat is { } format)
            {
                hash.AppendData(JsonSerializer.SerializeToUtf8Bytes(format, json.GetTypeInfo(typeof(ChatResponseFormat))));
            }

            foreach (var tool in options.Tools ?? [])
            {
                Append(hash, "tool:" + tool.Name + ":" + (tool is AIFunctionDeclaration f ? f.JsonSchema.GetRawText() : ""));
            }

            foreach (var (key, value) in options.AdditionalProperties ?? [])
            {
                if (value is string or bool or int or long or double or decimal)
                {
                    Append(hash, "property:" + key + "=" + Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture));
                }
            }
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static void Append(IncrementalHash hash, string text)
    {
        hash.AppendData(Encoding.UTF8.GetBytes(text));
        hash.AppendData([0]);
    }
}
