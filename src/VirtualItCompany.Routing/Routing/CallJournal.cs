using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace VirtualItCompany.Routing;

/// <summary>
/// The router's side of the <see cref="IModelCallJournal"/>: the key of a work item's call (a fingerprint of what the model
/// is asked, and how many identical calls the item made before it), and the response as JSON.
/// </summary>
internal static class CallJournal
{
    // How many calls with each fingerprint a try of a work item has made: the n-th identical call is keyed "#n".
    private static readonly ConditionalWeakTable<ModelCallContext, ConcurrentDictionary<string, int>> Occurrences = [];

    /// <summary>Gets the key of the next call of <paramref name="context"/>'s item asking <paramref name="messages"/> with <paramref name="options"/>.</summary>
    public static string NextKey(ModelCallContext context, IReadOnlyList<ChatMessage> messages, ChatOptions? options)
    {
        string fingerprint = Fingerprint(messages, options);
        var counts = Occurrences.GetValue(context, static _ => new ConcurrentDictionary<string, int>(StringComparer.Ordinal));
        int occurrence = counts.AddOrUpdate(fingerprint, 1, static (_, n) => n + 1);
        return fingerprint + "#" + occurrence.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>A SHA-256 over what a model reads: each message's role and contents, and the options that shape the answer.</summary>
    /// <remarks>The work item's context and other in-process objects in the options are left out: they differ between tries.</remarks>
    public static string Fingerprint(IReadOnlyList<ChatMessage> messages, ChatOptions? options)
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

    /// <summary>Serializes a response for the journal, without in-process objects (such as the routing decision) among its additional properties.</summary>
    public static string Serialize(ChatResponse response)
    {
        var stored = new ChatResponse(response.Messages)
        {
            ResponseId = response.ResponseId,
            ConversationId = response.ConversationId,
            ModelId = response.ModelId,
            CreatedAt = response.CreatedAt,
            FinishReason = response.FinishReason,
            Usage = response.Usage,
        };
        foreach (var (key, value) in response.AdditionalProperties ?? [])
        {
            if (value is null or string or bool or int or long or double or decimal)
            {
                (stored.AdditionalProperties ??= [])[key] = value;
            }
        }

        return JsonSerializer.Serialize(stored, AIJsonUtilities.DefaultOptions.GetTypeInfo(typeof(ChatResponse)));
    }

    /// <summary>Reads a response back from the journal.</summary>
    public static ChatResponse Deserialize(string json) =>
        (ChatResponse?)JsonSerializer.Deserialize(json, AIJsonUtilities.DefaultOptions.GetTypeInfo(typeof(ChatResponse)))
        ?? throw new InvalidOperationException("The model-call journal holds an empty response.");

    private static void Append(IncrementalHash hash, string text)
    {
        hash.AppendData(Encoding.UTF8.GetBytes(text));
        hash.AppendData([0]);
    }
}

/// <summary>Answers a call from its journal record: no model is called and nothing is charged; the charge reported is a zero <see cref="ModelChargeKind.Replayed"/>.</summary>
internal sealed class JournalReplayClient(ModelCallRecord record, ModelCallContext context) : IChatClient
{
    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var response = CallJournal.Deserialize(record.Response);
        context.Record(new ModelCharge(record.Provider, record.ModelId, record.InputTokens, record.OutputTokens, 0m, TimeSpan.Zero, ModelChargeKind.Replayed));
        return Task.FromResult(response);
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var response = await GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        foreach (var update in response.ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => serviceType?.IsInstanceOfType(this) == true && serviceKey is null ? this : null;

    public void Dispose()
    {
    }
}
