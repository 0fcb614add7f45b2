using System.Text.Json.Serialization;

namespace VirtualItCompany.Storage.Redis;

/// <summary>What a commit writes to the outbox for the stream: an item to deliver, from a time on (its retry time) or at once.</summary>
/// <param name="Item">The work item's id.</param>
/// <param name="Project">Its project.</param>
/// <param name="Role">Its role, so that a worker without capacity for it gives the entry back without asking the store.</param>
/// <param name="DueAtMs">When it may be leased (Unix milliseconds), or <see langword="null"/> for at once.</param>
internal sealed record WorkMessage(string Item, string Project, string Role, long? DueAtMs);

[JsonSerializable(typeof(WorkMessage))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
internal sealed partial class WorkMessageJson : JsonSerializerContext;
