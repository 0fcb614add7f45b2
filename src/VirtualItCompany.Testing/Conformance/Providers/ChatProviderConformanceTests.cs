using System.Text.Json;
using Microsoft.Extensions.AI;
using Xunit;

namespace VirtualItCompany.Testing.Conformance;

/// <summary>
/// The specification every model provider adapter must meet, through its real client library against a local server
/// speaking the provider's wire protocol: plain and streamed answers, tool calls (single, parallel, arguments of every
/// JSON type), JSON output, usage (input, output, cached), cancellation mid-stream, and each failure mapped to the
/// router's <see cref="ModelFailureKind"/> with a message that names the provider and the model and never holds the key.
/// Subclass it in the adapter's test project and implement <see cref="CreateAsync"/>; each test gets a new server.
/// </summary>
[ConformanceSuite(ConformanceSuiteAttribute.Providers)]
public abstract class ChatProviderConformanceTests
{
    /// <summary>Arguments with every JSON type: string, integer, fraction, boolean, null, array, object.</summary>
    public const string EveryJsonTypeArguments = """{"text":"Paris, \"FR\"","count":42,"ratio":1.5,"enabled":true,"missing":null,"list":[1,"two",false],"nested":{"key":"value","deep":[{"n":1}]}}""";

    /// <summary>Gets the test's cancellation token.</summary>
    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Gets whether the provider reports input tokens read from its cache (Ollama has no such cache).</summary>
    protected virtual bool ReportsCachedInputTokens => true;

    /// <summary>Gets whether the provider can stop an answer with a content-filter refusal.</summary>
    protected virtual bool CanRefuseContent => true;

    /// <summary>Creates the adapter's client against a new local server speaking the provider's protocol.</summary>
    /// <returns>The provider under test; disposed by the test.</returns>
    protected abstract ValueTask<ProviderUnderTest> CreateAsync();

    /// <summary>A plain answer: its text and its usage, read from the provider's own fields.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public async Task A_plain_answer_has_its_text_and_usage()
    {
        await using var provider = await CreateAsync();
        provider.Enqueue(new ScriptedAnswer { Text = "Hello from the wire.", InputTokens = 21, OutputTokens = 5, CachedInputTokens = ReportsCachedInputTokens ? 16 : 0 });

        var response = await provider.Client.GetResponseAsync("Say hello.", cancellationToken: Ct);

        Assert.Equal("Hello from the wire.", response.Text);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.Equal(21, response.Usage?.InputTokenCount);
        Assert.Equal(5, response.Usage?.OutputTokenCount);
        if (ReportsCachedInputTokens)
        {
            Assert.Equal(16, response.Usage?.CachedInputTokenCount);
        }

        Assert.Equal(1, provider.RequestCount);
    }

    /// <summary>A streamed answer arrives in pieces that add up to the text, ends with a finish reason, and reports its usage.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public async Task A_streamed_answer_adds_up_to_its_text_and_reports_usage()
    {
        await using var provider = await CreateAsync();
        provider.Enqueue(new ScriptedAnswer { Text = "Streaming works, piece by piece.", InputTokens = 30, OutputTokens = 9, CachedInputTokens = ReportsCachedInputTokens ? 24 : 0 });

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in provider.Client.GetStreamingResponseAsync("Stream something.", cancellationToken: Ct))
        {
            updates.Add(update);
        }

        var response = updates.ToChatResponse();
        Assert.True(updates.Count(u => u.Text.Length > 0) > 1, "The answer should arrive in more than one piece.");
        Assert.Equal("Streaming works, piece by piece.", response.Text);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.Equal(30, response.Usage?.InputTokenCount);
        Assert.Equal(9, response.Usage?.OutputTokenCount);
        if (ReportsCachedInputTokens)
        {
            Assert.Equal(24, response.Usage?.CachedInputTokenCount);
        }
    }

    /// <summary>One tool call: its name and arguments.</summary>
    /// <param name="streamed">Whether the answer is streamed.</param>
    /// <returns>A task.</returns>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_tool_call_has_its_name_and_arguments(bool streamed)
    {
        await using var provider = await CreateAsync();
        provider.Enqueue(new ScriptedAnswer { ToolCalls = [new("call_1", "get_weather", """{"city":"Paris"}""")] });

        var response = await AskAsync(provider, streamed, WithTools());

        var call = Assert.Single(response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>());
        Assert.Equal("get_weather", call.Name);
        Assert.False(string.IsNullOrEmpty(call.CallId));
        Assert.Equal("Paris", Json(call.Arguments!["city"]).GetString());
        Assert.Equal(ChatFinishReason.ToolCalls, response.FinishReason);
    }

    /// <summary>Parallel tool calls arrive as separate calls, in order, each with its own id.</summary>
    /// <param name="streamed">Whether the answer is streamed.</param>
    /// <returns>A task.</returns>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Parallel_tool_calls_arrive_separately_in_order(bool streamed)
    {
        await using var provider = await CreateAsync();
        provider.Enqueue(new ScriptedAnswer
        {
            Text = streamed ? null : null,
            ToolCalls = [new("call_a", "get_weather", """{"city":"Paris"}"""), new("call_b", "get_weather", """{"city":"Oslo"}"""), new("call_c", "get_time", """{"zone":"UTC"}""")],
        });

        var response = await AskAsync(provider, streamed, WithTools());

        var calls = response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().ToList();
        Assert.Equal(["get_weather", "get_weather", "get_time"], calls.Select(c => c.Name));
        Assert.Equal(["Paris", "Oslo"], calls.Take(2).Select(c => Json(c.Arguments!["city"]).GetString()));
        Assert.Equal("UTC", Json(calls[2].Arguments!["zone"]).GetString());
        Assert.Equal(3, calls.Select(c => c.CallId).Distinct().Count());
    }

    /// <summary>Tool-call arguments of every JSON type come through with their types and values.</summary>
    /// <param name="streamed">Whether the answer is streamed.</param>
    /// <returns>A task.</returns>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Tool_arguments_of_every_JSON_type_keep_their_types(bool streamed)
    {
        await using var provider = await CreateAsync();
        provider.Enqueue(new ScriptedAnswer { ToolCalls = [new("call_types", "record", EveryJsonTypeArguments)] });

        var response = await AskAsync(provider, streamed, WithTools());

        var call = Assert.Single(response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>());
        var args = call.Arguments!;
        Assert.Equal("Paris, \"FR\"", Json(args["text"]).GetString());
        Assert.Equal(42, Json(args["count"]).GetInt32());
        Assert.Equal(1.5, Json(args["ratio"]).GetDouble());
        Assert.True(Json(args["enabled"]).GetBoolean());
        Assert.True(args["missing"] is null || Json(args["missing"]).ValueKind == JsonValueKind.Null);
        var list = Json(args["list"]);
        Assert.Equal(JsonValueKind.Array, list.ValueKind);
        Assert.Equal([JsonValueKind.Number, JsonValueKind.String, JsonValueKind.False], list.EnumerateArray().Select(e => e.ValueKind));
        var nested = Json(args["nested"]);
        Assert.Equal("value", nested.GetProperty("key").GetString());
        Assert.Equal(1, nested.GetProperty("deep")[0].GetProperty("n").GetInt32());
    }

    /// <summary>A conversation carrying a tool call and its result is accepted, and the model answers it.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public async Task A_tool_result_is_sent_back_and_answered()
    {
        await using var provider = await CreateAsync();
        provider.Enqueue(new ScriptedAnswer { Text = "It is sunny in Paris." });
        List<ChatMessage> conversation =
        [
            new(ChatRole.User, "Weather in Paris?"),
            new(ChatRole.Assistant, [new FunctionCallContent("call_1", "get_weather", new Dictionary<string, object?> { ["city"] = "Paris" })]),
            new(ChatRole.Tool, [new FunctionResultContent("call_1", "sunny, 21 C")]),
        ];

        var response = await provider.Client.GetResponseAsync(conversation, WithTools(), Ct);

        Assert.Equal("It is sunny in Paris.", response.Text);
    }

    /// <summary>JSON output asked for with a schema comes back as JSON the caller can read.</summary>
    /// <param name="streamed">Whether the answer is streamed.</param>
    /// <returns>A task.</returns>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task JSON_output_with_a_schema_is_readable_JSON(bool streamed)
    {
        await using var provider = await CreateAsync();
        provider.Enqueue(new ScriptedAnswer { Text = """{"title":"Recipe box","features":["add","search"],"done":false}""" });
        using var schema = JsonDocument.Parse("""{"type":"object","properties":{"title":{"type":"string"},"features":{"type":"array","items":{"type":"string"}},"done":{"type":"boolean"}},"required":["title","features","done"],"additionalProperties":false}""");
        var options = new ChatOptions { ResponseFormat = ChatResponseFormat.ForJsonSchema(schema.RootElement.Clone(), "plan", "A plan.") };

        var response = await AskAsync(provider, streamed, options);

        using var answer = JsonDocument.Parse(response.Text);
        Assert.Equal("Recipe box", answer.RootElement.GetProperty("title").GetString());
        Assert.Equal(2, answer.RootElement.GetProperty("features").GetArrayLength());
    }

    /// <summary>Cancelling in the middle of a stream stops it with <see cref="OperationCanceledException"/> (the caller's own cancellation, not a provider failure).</summary>
    /// <returns>A task.</returns>
    [Fact]
    public async Task Cancelling_mid_stream_stops_it_as_cancelled()
    {
        await using var provider = await CreateAsync();
        provider.Enqueue(new ScriptedAnswer { Text = "A long answer that never ends in time.", HoldAfterFirstChunk = true });
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        int received = 0;

        var error = await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var update in provider.Client.GetStreamingResponseAsync("Write at length.", cancellationToken: cancellation.Token))
            {
                if (update.Text.Length > 0 && ++received == 1)
                {
                    await cancellation.CancelAsync();
                }
            }
        });

        Assert.Equal(1, received);
        Assert.IsNotType<ModelProviderException>(error);
    }

    /// <summary>Every failure reaches the router as its <see cref="ModelFailureKind"/>, billed or not, with a message naming the provider and the model and never the key, streamed or not.</summary>
    /// <param name="failure">The failure the server sends.</param>
    /// <param name="streamed">Whether the call is streamed.</param>
    /// <returns>A task.</returns>
    [Theory]
    [InlineData(ProviderFailure.RateLimited, false)]
    [InlineData(ProviderFailure.RateLimited, true)]
    [InlineData(ProviderFailure.Overloaded, false)]
    [InlineData(ProviderFailure.Overloaded, true)]
    [InlineData(ProviderFailure.Unauthorized, false)]
    [InlineData(ProviderFailure.Unauthorized, true)]
    [InlineData(ProviderFailure.ModelNotFound, false)]
    [InlineData(ProviderFailure.ContextTooLong, false)]
    [InlineData(ProviderFailure.ServerError, false)]
    [InlineData(ProviderFailure.ServerError, true)]
    [InlineData(ProviderFailure.HtmlErrorPage, false)]
    [InlineData(ProviderFailure.HtmlErrorPage, true)]
    public async Task Each_failure_maps_to_its_kind(ProviderFailure failure, bool streamed)
    {
        await using var provider = await CreateAsync();
        var retryAfter = failure == ProviderFailure.RateLimited ? TimeSpan.FromSeconds(7) : (TimeSpan?)null;
        provider.Enqueue(new ScriptedFailure(failure, retryAfter));

        var error = await Assert.ThrowsAsync<ModelProviderException>(() => AskAsync(provider, streamed, null));

        var (kind, notBilled) = failure switch
        {
            ProviderFailure.RateLimited => (ModelFailureKind.RateLimited, true),
            ProviderFailure.Overloaded => (ModelFailureKind.Overloaded, true),
            ProviderFailure.Unauthorized => (ModelFailureKind.Unauthorized, true),
            ProviderFailure.ModelNotFound => (ModelFailureKind.ModelNotFound, true),
            ProviderFailure.ContextTooLong => (ModelFailureKind.ContextTooLong, true),
            ProviderFailure.ServerError => (ModelFailureKind.ServerError, false),
            ProviderFailure.HtmlErrorPage => (ModelFailureKind.ServerError, false),
            _ => throw new ArgumentOutOfRangeException(nameof(failure)),
        };
        Assert.Equal(kind, error.Kind);
        Assert.Equal(notBilled, error.CertainlyNotBilled);
        Assert.Equal(retryAfter, error.RetryAfter);
        AssertNamesProviderAndModelWithoutKey(provider, error);
        if (failure == ProviderFailure.HtmlErrorPage)
        {
            Assert.Contains("HTML", error.Message, StringComparison.Ordinal);
        }
    }

    /// <summary>A stream cut off before the provider ended it is an invalid response (possibly billed), not a short answer.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public async Task A_truncated_stream_is_an_invalid_response()
    {
        await using var provider = await CreateAsync();
        provider.Enqueue(new ScriptedFailure(ProviderFailure.TruncatedStream));

        var error = await Assert.ThrowsAsync<ModelProviderException>(() => AskAsync(provider, streamed: true, null));

        Assert.True(error.Kind == ModelFailureKind.InvalidResponse, $"Expected {ModelFailureKind.InvalidResponse}, got {error.Kind}: {error}");
        Assert.False(error.CertainlyNotBilled);
        AssertNamesProviderAndModelWithoutKey(provider, error);
    }

    /// <summary>
    /// A content-filter refusal is a <see cref="ModelFailureKind.ContentRefused"/> failure, billed (the model answered). A
    /// provider without a content filter (<see cref="CanRefuseContent"/> is <see langword="false"/>) must not invent one: a
    /// refusal in words is an ordinary answer.
    /// </summary>
    /// <param name="streamed">Whether the call is streamed.</param>
    /// <returns>A task.</returns>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_refusal_is_content_refused(bool streamed)
    {
        await using var provider = await CreateAsync();
        if (!CanRefuseContent)
        {
            provider.Enqueue(new ScriptedAnswer { Text = "I can't help with that." });
            var answer = await AskAsync(provider, streamed, null);
            Assert.Equal("I can't help with that.", answer.Text);
            return;
        }

        provider.Enqueue(new ScriptedAnswer { Text = "I can't help with that.", Refused = true });

        var error = await Assert.ThrowsAsync<ModelProviderException>(() => AskAsync(provider, streamed, null));

        Assert.Equal(ModelFailureKind.ContentRefused, error.Kind);
        Assert.False(error.CertainlyNotBilled);
        AssertNamesProviderAndModelWithoutKey(provider, error);
    }

    /// <summary>An address where nothing listens is <see cref="ModelFailureKind.Unreachable"/>, never billed, and the message says what to check.</summary>
    /// <param name="streamed">Whether the call is streamed.</param>
    /// <returns>A task.</returns>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task An_unreachable_endpoint_is_unreachable(bool streamed)
    {
        await using var provider = await CreateAsync();
        using var client = provider.CreateUnreachableClient();

        var error = await Assert.ThrowsAsync<ModelProviderException>(async () =>
        {
            if (streamed)
            {
                await foreach (var update in client.GetStreamingResponseAsync("Hello?", cancellationToken: Ct))
                {
                    _ = update;
                }
            }
            else
            {
                await client.GetResponseAsync("Hello?", cancellationToken: Ct);
            }
        });

        Assert.Equal(ModelFailureKind.Unreachable, error.Kind);
        Assert.True(error.CertainlyNotBilled);
        Assert.True(error.IsTransient);
        AssertNamesProviderAndModelWithoutKey(provider, error);
    }

    /// <summary>Asserts the failure names the provider and the model and shows the key nowhere (message, inner exceptions, stack).</summary>
    /// <param name="provider">The provider under test.</param>
    /// <param name="error">The failure.</param>
    protected static void AssertNamesProviderAndModelWithoutKey(ProviderUnderTest provider, ModelProviderException error)
    {
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(error);
        Assert.Equal(provider.Provider, error.Provider);
        Assert.Equal(provider.Model, error.Model);
        Assert.Contains(provider.Model, error.Message, StringComparison.Ordinal);
        if (provider.ApiKey is { Length: > 0 } key)
        {
            Assert.DoesNotContain(key, error.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain(key, error.Message, StringComparison.Ordinal);
        }
    }

    private static ChatOptions WithTools() => new()
    {
        Tools =
        [
            AIFunctionFactory.CreateDeclaration("get_weather", "Gets the weather of a city.", JsonDocument.Parse("""{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}""").RootElement.Clone()),
            AIFunctionFactory.CreateDeclaration("get_time", "Gets the time in a zone.", JsonDocument.Parse("""{"type":"object","properties":{"zone":{"type":"string"}},"required":["zone"]}""").RootElement.Clone()),
            AIFunctionFactory.CreateDeclaration("record", "Records values.", JsonDocument.Parse("""{"type":"object","properties":{"text":{"type":"string"}}}""").RootElement.Clone()),
        ],
    };

    private static async Task<ChatResponse> AskAsync(ProviderUnderTest provider, bool streamed, ChatOptions? options)
    {
        if (!streamed)
        {
            return await provider.Client.GetResponseAsync("Do the task.", options, Ct);
        }

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in provider.Client.GetStreamingResponseAsync("Do the task.", options, Ct))
        {
            updates.Add(update);
        }

        return updates.ToChatResponse();
    }

    private static JsonElement Json(object? value) =>
        value is JsonElement element ? element : JsonSerializer.SerializeToElement(value, TestingJsonContext.ToolOptions.GetTypeInfo(typeof(object)));
}
