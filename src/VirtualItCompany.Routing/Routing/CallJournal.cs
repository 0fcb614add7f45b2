using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
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
    private static readonly ConditionalWeakTable<ModelCallContext, CallCounts> Occurrences = [];

    /// <summary>Gets the key of the next call of <paramref name="context"/>'s item asking <paramref name="messages"/> with <paramref name="options"/>.</summary>
    public static string NextKey(ModelCallContext context, IReadOnlyList<ChatMessage> messages, ChatOptions? options)
    {
        string fingerprint = Fingerprint(messages, options);
        int occurrence = Occurrences.GetValue(context, static _ => new CallCounts()).Next(fingerprint);
        return fingerprint + "#" + occurrence.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>A SHA-256 over what a model reads: each message's role and contents, and the options that shape the answer.</summary>
    /// <remarks>
    /// The work item's context and other in-process objects in the options are left out: they differ between tries. The keys
    /// are stored, so the bytes hashed never change (a test pins them): each content as the serializer writes it, each text
    /// part UTF-8 and a zero byte. They go through a buffer kept per thread, not a new array per content (a prompt's size).
    /// </remarks>
    public static string Fingerprint(IReadOnlyList<ChatMessage> messages, ChatOptions? options)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var json = AIJsonUtilities.DefaultOptions;
        var scratch = t_scratch ??= new Scratch(json);
        var contentInfo = json.GetTypeInfo(typeof(AIContent));
        foreach (var message in messages)
        {
            scratch.AppendText(hash, "message:" + message.Role.Value + ":" + message.AuthorName);
            foreach (var content in message.Contents)
            {
                scratch.AppendJson(hash, content, contentInfo);
            }
        }

        if (options is not null)
        {
            scratch.AppendText(hash, "options:" + options.ModelId + ":" + options.Instructions + ":" + options.Temperature + ":" + options.TopP + ":" + options.Seed + ":" + options.ToolMode);
            if (options.ResponseFormat is { } format)
            {
                scratch.AppendJson(hash, format, json.GetTypeInfo(typeof(ChatResponseFormat)));
            }

            foreach (var tool in options.Tools ?? [])
            {
                scratch.AppendText(hash, "tool:" + tool.Name + ":" + (tool is AIFunctionDeclaration f ? f.JsonSchema.GetRawText() : ""));
            }

            foreach (var (key, value) in options.AdditionalProperties ?? [])
            {
                if (value is string or bool or int or long or double or decimal)
                {
                    scratch.AppendText(hash, "property:" + key + "=" + Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture));
                }
            }
        }

        scratch.Trim();
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

    [ThreadStatic]
    private static Scratch? t_scratch;

    /// <summary>A thread's buffer and JSON writer for <see cref="Fingerprint"/>, written with the serializer's own writer settings.</summary>
    private sealed class Scratch(JsonSerializerOptions json)
    {
        // A buffer grown past this by one big prompt is let go after the call instead of being kept by the thread.
        private const int KeptCapacity = 64 * 1024;

        private ArrayBufferWriter<byte> _buffer = new(1024);
        private readonly JsonWriterOptions _writerOptions = new()
        {
            Encoder = json.Encoder,
            Indented = json.WriteIndented,
            IndentCharacter = json.IndentCharacter,
            IndentSize = json.IndentSize,
            NewLine = json.NewLine,
            MaxDepth = json.MaxDepth,
            SkipValidation = true,
        };

        private Utf8JsonWriter? _writer;

        public void AppendJson(IncrementalHash hash, object value, System.Text.Json.Serialization.Metadata.JsonTypeInfo typeInfo)
        {
            _buffer.ResetWrittenCount();
            var writer = _writer ??= new Utf8JsonWriter(_buffer, _writerOptions);
            writer.Reset(_buffer);
            JsonSerializer.Serialize(writer, value, typeInfo);
            writer.Flush();
            hash.AppendData(_buffer.WrittenSpan);
        }

        public void AppendText(IncrementalHash hash, string text)
        {
            _buffer.ResetWrittenCount();
            var span = _buffer.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length) + 1);
            int length = Encoding.UTF8.GetBytes(text, span);
            span[length] = 0;
            hash.AppendData(span[..(length + 1)]);
        }

        public void Trim()
        {
            if (_buffer.Capacity > KeptCapacity)
            {
                _buffer = new ArrayBufferWriter<byte>(1024);
                _writer?.Dispose();
                _writer = null;
            }
        }
    }

    /// <summary>The calls of one try by fingerprint: a try makes a few calls, mostly one after another, so a lock and a small dictionary (not a concurrent one, ~0.5 KB each) serve.</summary>
    private sealed class CallCounts
    {
        private readonly Lock _gate = new();
        private readonly Dictionary<string, int> _counts = new(1, StringComparer.Ordinal);

        public int Next(string fingerprint)
        {
            lock (_gate)
            {
                ref int count = ref CollectionsMarshal.GetValueRefOrAddDefault(_counts, fingerprint, out _);
                return ++count;
            }
        }
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
