using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.AI;
using VirtualItCompany.Providers.Offline.Answers;
using VirtualItCompany.Providers.Offline.Template;

namespace VirtualItCompany.Providers.Offline;

/// <summary>The offline model: answers deterministically from what it is asked, without AI.</summary>
/// <remarks>
/// Structured-output requests get JSON matching the schema's properties; requests offering <c>write_file</c>
/// get calls to it for the files of the generated service, then a short summary once the results are in;
/// other requests get a plain text labelled as coming from the offline model.
/// </remarks>
internal sealed class OfflineChatClient : IChatClient
{
    private static readonly ChatClientMetadata Metadata = new(OfflineModel.ProviderName, null, OfflineModel.ModelId);

    private readonly OfflineModelOptions _options;

    public OfflineChatClient(OfflineModelOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
    }

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        if (_options.ResponseDelay > TimeSpan.Zero)
        {
            await Task.Delay(_options.ResponseDelay, _options.TimeProvider, cancellationToken).ConfigureAwait(false);
        }

        cancellationToken.ThrowIfCancellationRequested();
        var request = OfflineRequest.From(messages, options);
        var (message, finishReason) = Answer(request);
        string output = string.Concat(message.Contents.Select(ContentText));
        long input = Tokens(request.AllText.Length);
        long outputTokens = Tokens(output.Length);
        return new ChatResponse(message)
        {
            ModelId = OfflineModel.ModelId,
            ResponseId = "offline_" + CodeNames.StableHash(request.AllText + "\n" + output),
            FinishReason = finishReason,
            Usage = new UsageDetails { InputTokenCount = input, OutputTokenCount = outputTokens, TotalTokenCount = input + outputTokens },
        };
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var response = await GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        foreach (var update in response.ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is not null ? null
            : serviceType == typeof(ChatClientMetadata) ? Metadata
            : serviceType == typeof(ModelPricing) ? ModelPricing.Free
            : serviceType.IsInstanceOfType(this) ? this
            : null;
    }

    public void Dispose()
    {
    }

    private (ChatMessage Message, ChatFinishReason FinishReason) Answer(OfflineRequest request)
    {
        if (request.Format is { } format)
        {
            return (new ChatMessage(ChatRole.Assistant, StructuredAnswers.Answer(request, format, _options)), ChatFinishReason.Stop);
        }

        if (request.WriteFile is { } writeFile)
        {
            // Done once a write went through; a conversation whose calls all failed (or went to other tools) is written again.
            if (request.HasToolResults && request.ToolCalls.Any(c => c.Name == writeFile.Name && request.SucceededCalls.Contains(c.CallId)))
            {
                var paths = request.ToolCalls.Where(c => c.Name == writeFile.Name).Select(c => c.Arguments is { } a && a.TryGetValue(PathParameter(writeFile), out var p) ? p?.ToString() ?? "" : "").ToList();
                return (new ChatMessage(ChatRole.Assistant, TextAnswers.FilesWritten(paths, request.ToolFailures)), ChatFinishReason.Stop);
            }

            var files = ToolAnswers.FilesFor(request.Sections);
            if (files.Count > 0)
            {
                string pathName = PathParameter(writeFile);
                string contentName = ContentParameter(writeFile);
                var calls = files.Select(f => (AIContent)new FunctionCallContent(
                    "call_" + CodeNames.StableHash(f.Path + "\n" + f.Content),
                    writeFile.Name,
                    new Dictionary<string, object?> { [pathName] = f.Path, [contentName] = f.Content })).ToList();
                return (new ChatMessage(ChatRole.Assistant, calls), ChatFinishReason.ToolCalls);
            }
        }

        return (new ChatMessage(ChatRole.Assistant, TextAnswers.Answer(request.Sections)), ChatFinishReason.Stop);
    }

    // The workspace declares write_file's parameters; use its names rather than assume them.
    private static string PathParameter(AIFunctionDeclaration tool) => Parameter(tool, ["path", "file"], "path");

    private static string ContentParameter(AIFunctionDeclaration tool) => Parameter(tool, ["content", "text", "body"], "content");

    private static string Parameter(AIFunctionDeclaration tool, string[] hints, string fallback)
    {
        var names = SchemaShape.Of(tool.JsonSchema).Names;
        return hints.Select(h => names.FirstOrDefault(n => n.Contains(h, StringComparison.OrdinalIgnoreCase))).FirstOrDefault(n => n is not null) ?? fallback;
    }

    private static string ContentText(AIContent content) => content switch
    {
        TextContent text => text.Text,
        FunctionCallContent call => call.Name + OfflineJsonContext.Arguments(call.Arguments),
        _ => "",
    };

    // About four characters a token, as for English text with common tokenizers.
    private static long Tokens(int chars) => (chars + 3) / 4;
}
