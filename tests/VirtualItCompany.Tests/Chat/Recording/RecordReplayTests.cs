using Microsoft.Extensions.AI;

namespace VirtualItCompany.Tests.Chat.Recording;

/// <summary>UseRecording / UseReplay: calls recorded once are answered from the file, streamed or not, in any order, and anything else fails loudly.</summary>
public sealed class RecordReplayTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("vic-recording-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string PathOf(string name) => Path.Combine(_folder, name);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static IChatClient Recording(IChatClient model, string path) => new ChatClientBuilder(model).UseRecording(path).Build();

    private static IChatClient Replay(string path, string model = "echo-1") => new ChatClientBuilder(new AbsentModel()).UseReplay(path, o => o.Model = model).Build();

    private static ChatMessage[] Ask(string text) => [new(ChatRole.System, "Be brief."), new(ChatRole.User, text)];

    [Fact]
    public async Task A_replayed_response_is_the_recorded_one_and_no_model_is_called()
    {
        string path = PathOf("calls.json");
        var echo = new EchoChatClient();
        var recorded = await Recording(echo, path).GetResponseAsync(Ask("hello"), new ChatOptions { Temperature = 0 }, Ct);

        var replayed = await Replay(path).GetResponseAsync(Ask("hello"), new ChatOptions { Temperature = 0 }, Ct);

        Assert.Equal(1, echo.Calls);
        Assert.Equal(recorded.Text, replayed.Text);
        Assert.Equal("echo: hello", replayed.Text);
        Assert.Equal(recorded.ModelId, replayed.ModelId);
        Assert.Equal(recorded.ResponseId, replayed.ResponseId);
        Assert.Equal(recorded.FinishReason, replayed.FinishReason);
        Assert.Equal(recorded.Usage!.InputTokenCount, replayed.Usage!.InputTokenCount);
        Assert.Equal(recorded.Usage.OutputTokenCount, replayed.Usage.OutputTokenCount);
    }

    [Fact]
    public async Task A_replayed_stream_gives_the_recorded_chunks_and_usage_in_order()
    {
        string path = PathOf("stream.json");
        var recorded = await Recording(new EchoChatClient(), path).GetStreamingResponseAsync(Ask("one two three"), cancellationToken: Ct).ToListAsync(Ct);

        var replayed = await Replay(path).GetStreamingResponseAsync(Ask("one two three"), cancellationToken: Ct).ToListAsync(Ct);

        Assert.Equal(recorded.Select(u => u.Text), replayed.Select(u => u.Text));
        Assert.Equal(5, replayed.Count);
        Assert.Equal(ChatFinishReason.Stop, replayed[^1].FinishReason);
        var usage = Assert.IsType<UsageContent>(Assert.Single(replayed[^1].Contents));
        Assert.Equal(11, usage.Details.InputTokenCount);
        Assert.Equal(3, usage.Details.OutputTokenCount);
        // The same recording answers a call that is not streamed, as the stream's whole response.
        var whole = await Replay(path).GetResponseAsync(Ask("one two three"), cancellationToken: Ct);
        Assert.Equal("echo: one two three ", whole.Text);
    }

    [Fact]
    public async Task Parallel_calls_are_matched_by_content_and_occurrence_not_by_order()
    {
        string path = PathOf("fanout.json");
        var recording = Recording(new EchoChatClient(), path);
        string[] features = ["login", "search", "cart", "search"];
        foreach (string feature in features)
        {
            await recording.GetResponseAsync(Ask(feature), cancellationToken: Ct);
        }

        var replay = Replay(path);
        var answers = await Task.WhenAll(features.Reverse().Select(f => replay.GetResponseAsync(Ask(f), cancellationToken: Ct)));

        Assert.Equal(features.Reverse().Select(f => "echo: " + f), answers.Select(a => a.Text));
        // "search" was recorded twice: a third call of it is more than the recording holds.
        var extra = await Assert.ThrowsAsync<ChatReplayMismatchException>(() => replay.GetResponseAsync(Ask("search"), cancellationToken: Ct));
        Assert.Contains("2 time(s), and this is call 3 of it", extra.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unmatched_request_fails_with_the_request_and_its_nearest_recorded_neighbour()
    {
        string path = PathOf("miss.json");
        var recording = Recording(new EchoChatClient(), path);
        await recording.GetResponseAsync(Ask("Plan the features of a recipe service."), cancellationToken: Ct);
        await recording.GetResponseAsync(Ask("Something else entirely, about deployments."), cancellationToken: Ct);

        var miss = await Assert.ThrowsAsync<ChatReplayMismatchException>(() => Replay(path).GetResponseAsync(Ask("Plan the features of a recipe shop."), cancellationToken: Ct));

        Assert.Equal(Path.GetFullPath(path), miss.RecordingPath);
        Assert.Equal("echo-1", miss.Model);
        Assert.Contains("recipe shop", miss.Request, StringComparison.Ordinal);
        Assert.Contains("recipe service", miss.NearestRecordedRequest, StringComparison.Ordinal);
        Assert.Contains(path, miss.Message, StringComparison.Ordinal);
        Assert.Contains("recorded: ", miss.Message, StringComparison.Ordinal);
        Assert.Contains("recipe service.", miss.Message, StringComparison.Ordinal);
        Assert.Contains("asked:    ", miss.Message, StringComparison.Ordinal);
        Assert.Contains("recipe shop.", miss.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_call_to_a_model_the_recording_does_not_hold_names_the_models_it_does()
    {
        string path = PathOf("models.json");
        await Recording(new EchoChatClient(), path).GetResponseAsync(Ask("hi"), cancellationToken: Ct);

        var miss = await Assert.ThrowsAsync<ChatReplayMismatchException>(() => Replay(path, model: "gpt-4o").GetResponseAsync(Ask("hi"), cancellationToken: Ct));

        Assert.Contains("no call to model 'gpt-4o'", miss.Message, StringComparison.Ordinal);
        Assert.Contains("'echo-1'", miss.Message, StringComparison.Ordinal);
        Assert.Null(miss.NearestRecordedRequest);
    }

    [Fact]
    public void A_missing_or_foreign_file_fails_when_the_pipeline_is_built()
    {
        Assert.Throws<FileNotFoundException>(() => Replay(PathOf("none.json")));
        File.WriteAllText(PathOf("other.json"), "{\"calls\": []}");
        var foreign = Assert.Throws<InvalidDataException>(() => Replay(PathOf("other.json")));
        Assert.Contains("not a chat recording", foreign.Message, StringComparison.Ordinal);
        File.WriteAllText(PathOf("newer.json"), "{\"format\": \"virtualitcompany-chat-recording\", \"version\": 2, \"calls\": []}");
        var newer = Assert.Throws<InvalidDataException>(() => Replay(PathOf("newer.json")));
        Assert.Contains("version 2", newer.Message, StringComparison.Ordinal);
        File.WriteAllText(PathOf("broken.json"), "{\"format\": \"virtualitcompany-chat-recording\", \"version\": 1, \"calls\": [");
        Assert.Throws<InvalidDataException>(() => Replay(PathOf("broken.json")));
    }

    [Fact]
    public async Task The_file_format_is_stable_and_does_not_depend_on_call_order()
    {
        string inOrder = PathOf("a.json");
        string reversed = PathOf("b.json");
        var first = Recording(new EchoChatClient(), inOrder);
        var second = Recording(new EchoChatClient(), reversed);
        string[] texts = ["alpha", "beta", "gamma"];
        foreach (string text in texts)
        {
            await first.GetResponseAsync(Ask(text), new ChatOptions { Temperature = 0.2f, MaxOutputTokens = 50 }, Ct);
        }

        foreach (string text in texts.Reverse())
        {
            await second.GetResponseAsync(Ask(text), new ChatOptions { Temperature = 0.2f, MaxOutputTokens = 50 }, Ct);
        }

        await first.GetStreamingResponseAsync(Ask("delta epsilon"), cancellationToken: Ct).ToListAsync(Ct);
        await second.GetStreamingResponseAsync(Ask("delta epsilon"), cancellationToken: Ct).ToListAsync(Ct);

        string written = await File.ReadAllTextAsync(inOrder, Ct);
        Assert.Equal(written, await File.ReadAllTextAsync(reversed, Ct));
        if (Environment.GetEnvironmentVariable("VIC_WRITE_RECORDING_GOLDEN") is { Length: > 0 } target)
        {
            // Only when the format changes on purpose (with a new version): writes the new golden file to check in.
            await File.WriteAllTextAsync(target, written, Ct);
        }

        string golden = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Chat", "Recording", "recording.v1.json"), Ct);
        Assert.Equal(golden.ReplaceLineEndings("\n"), written);
    }

    [Fact]
    public async Task A_recording_checked_in_with_format_version_1_replays()
    {
        string golden = Path.Combine(AppContext.BaseDirectory, "Chat", "Recording", "recording.v1.json");

        var answer = await Replay(golden).GetResponseAsync(Ask("beta"), new ChatOptions { Temperature = 0.2f, MaxOutputTokens = 50 }, Ct);

        Assert.Equal("echo: beta", answer.Text);
    }

    /// <summary>Stands for a model that is not there (no key in CI): replay must never call it.</summary>
    private sealed class AbsentModel : IChatClient
    {
        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("The model is absent; replay must not call it.");

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("The model is absent; replay must not call it.");

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
