using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace VirtualItCompany.Chat.Recording;

/// <summary>Records each completed call (request normalised, response or stream of updates with usage) to a recording file, passing everything through.</summary>
/// <remarks>
/// A call is recorded when it completes: a call that fails, or a stream not read to its end, is not recorded. Its
/// occurrence number is given in completion order, so two identical requests in flight at once may swap their answers on
/// replay; both are answers the model gave to that same request.
/// </remarks>
internal sealed class RecordingChatClient(IChatClient inner, ChatRecordingFile file, string model) : DelegatingChatClient(inner)
{
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var request = RecordedRequest.From(model, messages, options);
        var response = await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        var element = JsonSerializer.SerializeToElement(response, RecordingJson.Response);
        await file.AddAsync(new RecordedCall(model, request, file.NextOccurrence(model, request.Key), element, null), cancellationToken).ConfigureAwait(false);
        return response;
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var request = RecordedRequest.From(model, messages, options);
        var updates = new List<JsonElement>();
        await foreach (var update in base.GetStreamingResponseAsync(messages, options, cancellationToken).ConfigureAwait(false))
        {
            // Kept as it came: middleware above may change the update after it is yielded.
            updates.Add(JsonSerializer.SerializeToElement(update, RecordingJson.Update));
            yield return update;
        }

        await file.AddAsync(new RecordedCall(model, request, file.NextOccurrence(model, request.Key), null, updates), cancellationToken).ConfigureAwait(false);
    }
}
