using System.Text.Json;

namespace VirtualItCompany.Chat.Recording;

/// <summary>One recorded call: which model, the request (canonical), which occurrence of that request, and the answer as a whole response or as its stream of updates.</summary>
/// <param name="Model">The name of the model client in the recording.</param>
/// <param name="Request">The canonical request.</param>
/// <param name="Occurrence">1 for the first call of this request to this model, 2 for the second, and so on.</param>
/// <param name="Response">The response (Microsoft.Extensions.AI's <c>ChatResponse</c> JSON), for a call answered whole.</param>
/// <param name="Stream">The updates (<c>ChatResponseUpdate</c> JSON), for a streamed call.</param>
internal sealed record RecordedCall(string Model, RecordedRequest Request, int Occurrence, JsonElement? Response, IReadOnlyList<JsonElement>? Stream);
