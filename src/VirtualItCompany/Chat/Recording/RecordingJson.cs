using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.AI;

namespace VirtualItCompany.Chat.Recording;

/// <summary>Microsoft.Extensions.AI's own (source-generated) JSON contracts of responses and updates, as recordings store them.</summary>
internal static class RecordingJson
{
    public static JsonTypeInfo<ChatResponse> Response { get; } = (JsonTypeInfo<ChatResponse>)AIJsonUtilities.DefaultOptions.GetTypeInfo(typeof(ChatResponse));

    public static JsonTypeInfo<ChatResponseUpdate> Update { get; } = (JsonTypeInfo<ChatResponseUpdate>)AIJsonUtilities.DefaultOptions.GetTypeInfo(typeof(ChatResponseUpdate));
}
