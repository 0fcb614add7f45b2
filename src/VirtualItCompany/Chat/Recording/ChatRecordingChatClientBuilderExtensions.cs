using VirtualItCompany.Chat.Recording;

namespace Microsoft.Extensions.AI;

/// <summary>Record a chat client's calls to a file once, and replay them deterministically (in tests, in CI, without keys).</summary>
public static class ChatRecordingChatClientBuilderExtensions
{
    /// <summary>Records every completed call of the inner client to <paramref name="path"/>: the request (normalised), the response or the stream of updates, and usage.</summary>
    /// <param name="builder">The pipeline.</param>
    /// <param name="path">The recording file; written again after each call (one writer per file in a process, starting it empty).</param>
    /// <param name="configure">Configures the options, or <see langword="null"/> for the defaults.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <remarks>
    /// The file is one indented JSON document whose calls are sorted by model, request and occurrence, so it diffs well and a
    /// concurrent run records the same file. Failed calls and streams not read to their end are not recorded.
    /// </remarks>
    public static ChatClientBuilder UseRecording(this ChatClientBuilder builder, string path, Action<ChatRecordingOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var options = new ChatRecordingOptions();
        configure?.Invoke(options);
        return builder.Use(inner => new RecordingChatClient(inner, ChatRecordingFile.ForRecording(path), ModelName(options, inner)));
    }

    /// <summary>Answers every call from the recording at <paramref name="path"/>; the inner client is never called.</summary>
    /// <param name="builder">The pipeline.</param>
    /// <param name="path">The recording, made with <see cref="UseRecording"/>.</param>
    /// <param name="configure">Configures the options (the same <see cref="ChatRecordingOptions.Model"/> as when recorded), or <see langword="null"/> for the defaults.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <remarks>
    /// A call is matched by its normalised request and its occurrence (the n-th identical request gets the n-th recorded answer),
    /// not by order. A request the recording does not hold throws <see cref="ChatReplayMismatchException"/> naming the
    /// nearest recorded request and where they differ. The file is read when the pipeline is built: a missing file throws
    /// <see cref="FileNotFoundException"/>, one that is not a recording <see cref="InvalidDataException"/>.
    /// </remarks>
    public static ChatClientBuilder UseReplay(this ChatClientBuilder builder, string path, Action<ChatRecordingOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var options = new ChatRecordingOptions();
        configure?.Invoke(options);
        return builder.Use(inner => new ReplayChatClient(inner, ChatRecordingFile.Load(path), ModelName(options, inner)));
    }

    private static string ModelName(ChatRecordingOptions options, IChatClient inner) =>
        options.Model ?? inner.GetService<ChatClientMetadata>()?.DefaultModelId ?? "model";
}
