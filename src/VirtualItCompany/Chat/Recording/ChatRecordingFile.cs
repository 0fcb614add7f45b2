using System.Buffers;
using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;

namespace VirtualItCompany.Chat.Recording;

/// <summary>
/// A recording on disk: one indented JSON document, calls sorted by model, request key and occurrence, so a recording of
/// a concurrent run is the same file each time and a change to one prompt is a small diff.
/// </summary>
/// <remarks>
/// Format (version 1): <c>{ "format": "virtualitcompany-chat-recording", "version": 1, "calls": [ { "model", "key",
/// "occurrence", "request": { "messages": [...], "options": {...} }, "response": {...} | "stream": [...] } ] }</c>.
/// Responses and updates are Microsoft.Extensions.AI's own JSON of <c>ChatResponse</c> and <c>ChatResponseUpdate</c>.
/// </remarks>
internal sealed class ChatRecordingFile
{
    public const string FormatName = "virtualitcompany-chat-recording";

    public const int FormatVersion = 1;

    private static readonly ConcurrentDictionary<string, ChatRecordingFile> Writers = new(StringComparer.Ordinal);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<(string Model, string Key, int Occurrence), RecordedCall> _calls = [];
    private readonly ConcurrentDictionary<(string Model, string Key), int> _occurrences = new();

    private ChatRecordingFile(string path) => FilePath = path;

    /// <summary>Gets the file's full path.</summary>
    public string FilePath { get; }

    /// <summary>Gets the recorded calls, in file order.</summary>
    public IReadOnlyList<RecordedCall> Calls => [.. _calls.Values.OrderBy(c => c.Model, StringComparer.Ordinal).ThenBy(c => c.Request.Key, StringComparer.Ordinal).ThenBy(c => c.Occurrence)];

    /// <summary>Gets the file a process records to: one writer per file, which starts it empty the first time.</summary>
    public static ChatRecordingFile ForRecording(string path)
    {
        string full = Path.GetFullPath(path);
        return Writers.GetOrAdd(full, static p =>
        {
            Directory.CreateDirectory(Path.GetDirectoryName(p)!);
            var file = new ChatRecordingFile(p);
            file.Save();
            return file;
        });
    }

    /// <summary>Reads a recording to replay.</summary>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="path"/>.</exception>
    /// <exception cref="InvalidDataException">The file is not a recording of a version this library reads.</exception>
    public static ChatRecordingFile Load(string path)
    {
        string full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new FileNotFoundException($"There is no chat recording at '{full}'. Record one first with UseRecording (or UseModelCallRecording on the company), then replay it.", full);
        }

        var file = new ChatRecordingFile(full);
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(full));
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("format", out var format) || format.ValueKind != JsonValueKind.String || format.GetString() != FormatName)
            {
                throw Invalid(full, $"it has no \"format\": \"{FormatName}\"; it is not a chat recording");
            }

            int version = root.TryGetProperty("version", out var v) && v.TryGetInt32(out int n) ? n : -1;
            if (version != FormatVersion)
            {
                throw Invalid(full, $"it is format version {version}; this library reads version {FormatVersion}. Record it again with this version");
            }

            int index = 0;
            foreach (var call in root.GetProperty("calls").EnumerateArray())
            {
                string model = call.GetProperty("model").GetString() ?? "";
                var request = RecordedRequest.FromCanonical(model, call.GetProperty("request").Clone());
                if (call.TryGetProperty("key", out var key) && key.GetString() != request.Key)
                {
                    // A hand-edited request whose key was left as it was: matching goes by the request, so say which key it now has.
                    throw Invalid(full, $"call {index} has key {key.GetString()} but its request's key is {request.Key}; a request edited by hand needs its key updated (or record again)");
                }

                int occurrence = call.GetProperty("occurrence").GetInt32();
                JsonElement? response = call.TryGetProperty("response", out var r) ? r.Clone() : null;
                List<JsonElement>? stream = call.TryGetProperty("stream", out var s) ? [.. s.EnumerateArray().Select(u => u.Clone())] : null;
                if (response is null == stream is null)
                {
                    throw Invalid(full, $"call {index} must have either \"response\" or \"stream\"");
                }

                if (!file._calls.TryAdd((model, request.Key, occurrence), new RecordedCall(model, request, occurrence, response, stream)))
                {
                    throw Invalid(full, $"call {index} repeats occurrence {occurrence} of request {request.Key}");
                }

                index++;
            }
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw Invalid(full, "it is not valid JSON of a chat recording (" + e.Message + ")", e);
        }

        return file;
    }

    /// <summary>Gets the occurrence number of the next call of a request (1 for the first).</summary>
    public int NextOccurrence(string model, string key) => _occurrences.AddOrUpdate((model, key), 1, static (_, n) => n + 1);

    /// <summary>Finds a recorded call.</summary>
    public RecordedCall? Find(string model, string key, int occurrence) =>
        _calls.TryGetValue((model, key, occurrence), out var call) ? call : null;

    /// <summary>Counts how many times a request was recorded.</summary>
    public int CountOf(string model, string key) => _calls.Keys.Count(k => k.Model == model && k.Key == key);

    /// <summary>Adds a call and writes the file again (to a temporary file first, so a crash leaves the last whole recording).</summary>
    public async Task AddAsync(RecordedCall call, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _calls[(call.Model, call.Request.Key, call.Occurrence)] = call;
            byte[] bytes = Serialize();
            string temporary = TemporaryPath();
            var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 4096, useAsync: true);
            await using (stream.ConfigureAwait(false))
            {
                await stream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
            }

            File.Move(temporary, FilePath, overwrite: true);
        }
        finally
        {
            _gate.Release();
        }
    }

    private void Save()
    {
        string temporary = TemporaryPath();
        File.WriteAllBytes(temporary, Serialize());
        File.Move(temporary, FilePath, overwrite: true);
    }

    private string TemporaryPath() => FilePath + "." + Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + ".tmp";

    private byte[] Serialize()
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            writer.WriteString("format", FormatName);
            writer.WriteNumber("version", FormatVersion);
            writer.WriteStartArray("calls");
            foreach (var call in Calls)
            {
                writer.WriteStartObject();
                writer.WriteString("model", call.Model);
                writer.WriteString("key", call.Request.Key);
                writer.WriteNumber("occurrence", call.Occurrence);
                writer.WritePropertyName("request");
                call.Request.Canonical.WriteTo(writer);
                if (call.Response is { } response)
                {
                    writer.WritePropertyName("response");
                    response.WriteTo(writer);
                }
                else
                {
                    writer.WriteStartArray("stream");
                    foreach (var update in call.Stream!)
                    {
                        update.WriteTo(writer);
                    }

                    writer.WriteEndArray();
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        buffer.Write("\n"u8);
        return buffer.WrittenSpan.ToArray();
    }

    private static InvalidDataException Invalid(string path, string problem, Exception? inner = null) =>
        new($"The chat recording '{path}' cannot be replayed: {problem}.", inner);
}
