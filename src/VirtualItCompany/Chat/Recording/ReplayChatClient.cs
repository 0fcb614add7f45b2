using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace VirtualItCompany.Chat.Recording;

/// <summary>
/// Answers each call from a recording, matched by model, normalised request and occurrence (the n-th call of the same
/// request gets the n-th recorded answer), never by order, so the calls of a fan-out may come in any order. It never calls
/// a model: a request the recording does not hold fails with <see cref="ChatReplayMismatchException"/>.
/// </summary>
internal sealed class ReplayChatClient(IChatClient? inner, ChatRecordingFile file, string model) : IChatClient
{
    private const int MaxLineInMessage = 240;
    private const int MaxLinesInMessage = 4;

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        cancellationToken.ThrowIfCancellationRequested();
        var call = Match(messages, options);
        return Task.FromResult(call.Response is { } response
            ? JsonSerializer.Deserialize(response, RecordingJson.Response)!
            : Updates(call).ToChatResponse());
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var call = Match(messages, options);
        var updates = call.Stream is null ? JsonSerializer.Deserialize(call.Response!.Value, RecordingJson.Response)!.ToChatResponseUpdates() : Updates(call);
        foreach (var update in updates)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await Task.Yield();
            yield return update;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is null && serviceType.IsInstanceOfType(this) ? this : inner?.GetService(serviceType, serviceKey);
    }

    public void Dispose() => inner?.Dispose();

    private static ChatResponseUpdate[] Updates(RecordedCall call) =>
        [.. call.Stream!.Select(u => JsonSerializer.Deserialize(u, RecordingJson.Update)!)];

    private RecordedCall Match(IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        var request = RecordedRequest.From(model, messages, options);
        int occurrence = file.NextOccurrence(model, request.Key);
        return file.Find(model, request.Key, occurrence) ?? throw Mismatch(request, occurrence);
    }

    private ChatReplayMismatchException Mismatch(RecordedRequest request, int occurrence)
    {
        string asked = request.ToIndentedString();
        int recorded = file.CountOf(model, request.Key);
        if (recorded > 0)
        {
            return new ChatReplayMismatchException(
                $"The chat recording '{file.FilePath}' holds this request to model '{model}' {recorded} time(s), and this is call {occurrence} of it (key {request.Key}). " +
                "The code now asks the model more often than when it was recorded; record again if that is intended.",
                file.FilePath, model, asked, asked);
        }

        var candidates = file.Calls.Where(c => c.Model == model).ToList();
        if (candidates.Count == 0)
        {
            return new ChatReplayMismatchException(
                $"The chat recording '{file.FilePath}' holds no call to model '{model}' (it holds {file.Calls.Count} call(s) to {string.Join(", ", file.Calls.Select(c => "'" + c.Model + "'").Distinct())}). " +
                $"Record with the same model names as the replay. The request (key {request.Key}):\n{Shorten(asked, 2_000)}",
                file.FilePath, model, asked, null);
        }

        var askedLines = asked.Split('\n');
        var nearest = candidates
            .DistinctBy(c => c.Request.Key)
            .Select(c => (Call: c, Text: c.Request.ToIndentedString()))
            .Select(c => (c.Call, c.Text, Score: SharedLines(askedLines, c.Text.Split('\n'))))
            .OrderByDescending(c => c.Score)
            .First();
        return new ChatReplayMismatchException(
            $"The chat recording '{file.FilePath}' holds no call to model '{model}' like this request (key {request.Key}). " +
            $"The nearest recorded request (key {nearest.Call.Request.Key}) {FirstDifference(askedLines, nearest.Text.Split('\n'))} " +
            "Record again if the change is intended; the exception's Request and NearestRecordedRequest hold both in full.",
            file.FilePath, model, asked, nearest.Text);
    }

    private static int SharedLines(string[] a, string[] b)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var line in b)
        {
            counts[line] = counts.GetValueOrDefault(line) + 1;
        }

        int shared = 0;
        foreach (var line in a)
        {
            if (counts.TryGetValue(line, out int n) && n > 0)
            {
                counts[line] = n - 1;
                shared++;
            }
        }

        return shared;
    }

    private static string FirstDifference(string[] asked, string[] recorded)
    {
        int i = 0;
        while (i < asked.Length && i < recorded.Length && asked[i] == recorded[i])
        {
            i++;
        }

        string a = i < asked.Length ? asked[i].Trim() : "";
        string r = i < recorded.Length ? recorded[i].Trim() : "";
        int at = 0;
        while (at < a.Length && at < r.Length && a[at] == r[at])
        {
            at++;
        }

        var text = new StringBuilder().Append("first differs at line ").Append(i + 1).Append(", character ").Append(at + 1).Append(":\n");
        text.Append("  recorded: ").Append(i < recorded.Length ? Window(r, at) : "(end of request)").Append('\n');
        text.Append("  asked:    ").Append(i < asked.Length ? Window(a, at) : "(end of request)").Append('\n');
        AppendOnlyIn(text, "only in the request asked", asked, recorded);
        AppendOnlyIn(text, "only in the recorded one", recorded, asked);
        return text.ToString();
    }

    // Lines one request has and the other lacks: where a message was added, removed or changed.
    private static void AppendOnlyIn(StringBuilder text, string label, string[] lines, string[] other)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var line in other)
        {
            counts[line] = counts.GetValueOrDefault(line) + 1;
        }

        var only = new List<string>();
        foreach (var line in lines)
        {
            if (counts.TryGetValue(line, out int n) && n > 0)
            {
                counts[line] = n - 1;
            }
            else if (line.Trim().Length > 2)
            {
                only.Add(line.Trim());
            }
        }

        if (only.Count == 0)
        {
            return;
        }

        text.Append("  ").Append(label).Append(" (").Append(only.Count).Append(" line(s)):\n");
        foreach (var line in only.Take(MaxLinesInMessage))
        {
            text.Append("    ").Append(Window(line, 0)).Append('\n');
        }
    }

    // The part of a (possibly very long) line around where it differs.
    private static string Window(string line, int at)
    {
        int start = Math.Max(0, Math.Min(at, line.Length) - (MaxLineInMessage / 3));
        int end = Math.Min(line.Length, start + MaxLineInMessage);
        return (start > 0 ? "..." : "") + line[start..end] + (end < line.Length ? "..." : "");
    }

    private static string Shorten(string text, int max) => text.Length <= max ? text : text[..max] + "...";
}
