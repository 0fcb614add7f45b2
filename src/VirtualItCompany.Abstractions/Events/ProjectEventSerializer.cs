using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace VirtualItCompany;

/// <summary>Serializes <see cref="ProjectEvent"/>s to and from JSON, as stores and live feeds do, with source-generated metadata (trim- and native-AOT-safe).</summary>
/// <remarks>The overloads without <see cref="ProjectEventTypes"/> know the built-in events; pass types with your registered custom events to serialize those too.</remarks>
public static class ProjectEventSerializer
{
    /// <summary>Gets the options used for the built-in events and the records a store keeps: web defaults, enums as strings, source-generated metadata.</summary>
    public static JsonSerializerOptions Options => ProjectEventTypes.BuiltIn.SerializerOptions;

    /// <summary>Writes a built-in event as JSON, with its <c>$type</c> discriminator.</summary>
    /// <param name="projectEvent">The event.</param>
    /// <returns>The JSON text.</returns>
    /// <exception cref="NotSupportedException">The event is not a built-in one; serialize it with the <see cref="ProjectEventTypes"/> it is registered in.</exception>
    public static string Serialize(ProjectEvent projectEvent) => Serialize(projectEvent, ProjectEventTypes.BuiltIn);

    /// <summary>Writes an event as JSON, with its <c>$type</c> discriminator.</summary>
    /// <param name="projectEvent">The event.</param>
    /// <param name="types">The event types known: the built-in ones and the registered custom ones.</param>
    /// <returns>The JSON text.</returns>
    /// <exception cref="NotSupportedException">The event's type is not registered in <paramref name="types"/>.</exception>
    public static string Serialize(ProjectEvent projectEvent, ProjectEventTypes types)
    {
        ArgumentNullException.ThrowIfNull(projectEvent);
        ArgumentNullException.ThrowIfNull(types);
        types.EnsureRegistered(projectEvent);
        return JsonSerializer.Serialize(projectEvent, EventTypeInfo(types));
    }

    /// <summary>Reads a built-in event from JSON.</summary>
    /// <param name="json">The JSON text.</param>
    /// <returns>The event.</returns>
    /// <exception cref="JsonException">The text is not an event this version knows.</exception>
    public static ProjectEvent Deserialize(string json) => Deserialize(json, ProjectEventTypes.BuiltIn);

    /// <summary>Reads an event from JSON.</summary>
    /// <param name="json">The JSON text.</param>
    /// <param name="types">The event types known: the built-in ones and the registered custom ones.</param>
    /// <returns>The event.</returns>
    /// <exception cref="JsonException">The text is not an event of <paramref name="types"/>.</exception>
    public static ProjectEvent Deserialize(string json, ProjectEventTypes types)
    {
        ArgumentNullException.ThrowIfNull(types);
        return JsonSerializer.Deserialize(json, EventTypeInfo(types)) ?? throw new JsonException("The JSON text holds null, not a project event.");
    }

    private static JsonTypeInfo<ProjectEvent> EventTypeInfo(ProjectEventTypes types) =>
        (JsonTypeInfo<ProjectEvent>)types.SerializerOptions.GetTypeInfo(typeof(ProjectEvent));
}
