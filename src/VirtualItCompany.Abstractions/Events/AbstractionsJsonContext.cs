using System.Text.Json;
using System.Text.Json.Serialization;

namespace VirtualItCompany;

/// <summary>Source-generated JSON metadata for the events and the records a store keeps, so serialization needs no reflection (trimming, native AOT, file-based apps).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true)]
[JsonSerializable(typeof(ProjectEvent))]
[JsonSerializable(typeof(IReadOnlyList<ProjectEvent>))]
[JsonSerializable(typeof(ProjectSnapshot))]
[JsonSerializable(typeof(ProjectBrief))]
[JsonSerializable(typeof(ProjectCommit))]
[JsonSerializable(typeof(WorkItem))]
[JsonSerializable(typeof(WorkLease))]
[JsonSerializable(typeof(RoutingDecision))]
[JsonSerializable(typeof(OutboxMessage))]
[JsonSerializable(typeof(OutboxEntry))]
[JsonSerializable(typeof(ArtifactInfo))]
internal sealed partial class AbstractionsJsonContext : JsonSerializerContext;
