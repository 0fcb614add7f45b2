using System.Text.Json;
using System.Text.Json.Serialization;

namespace VirtualItCompany;

/// <summary>Serializes <see cref="ProjectEvent"/>s to and from JSON, as stores and live feeds do.</summary>
public static class ProjectEventSerializer
{
    /// <summary>Gets the options used for events: web defaults, enums as strings.</summary>
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    /// <summary>Writes an event as JSON, with its <c>$type</c> discriminator.</summary>
    /// <param name="projectEvent">The event.</param>
    /// <returns>The JSON text.</returns>
    public static string Serialize(ProjectEvent projectEvent) => JsonSerializer.Serialize(projectEvent, Options);

    /// <summary>Reads an event from JSON.</summary>
    /// <param name="json">The JSON text.</param>
    /// <returns>The event.</returns>
    /// <exception cref="JsonException">The text is not an event this version knows.</exception>
    public static ProjectEvent Deserialize(string json) =>
        JsonSerializer.Deserialize<ProjectEvent>(json, Options) ?? throw new JsonException("The JSON text holds null, not a project event.");

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        options.Converters.Add(new JsonStringEnumConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
