using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace VirtualItCompany;

/// <summary>Identifies a project.</summary>
[JsonConverter(typeof(ProjectIdJsonConverter))]
public readonly record struct ProjectId
{
    /// <summary>Creates an id from its text form.</summary>
    /// <param name="value">The id; not empty or white space, at most 64 characters.</param>
    public ProjectId(string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(value.Length, 64, nameof(value));
        Value = value;
    }

    /// <summary>Gets the text form of the id.</summary>
    public string Value { get => field ?? string.Empty; }

    /// <summary>Creates a new unique id.</summary>
    public static ProjectId New() => new("prj_" + Guid.CreateVersion7().ToString("N"));

    /// <summary>Parses an id, failing with a message a user can act on.</summary>
    /// <param name="value">The text form.</param>
    /// <param name="id">The id, when the text was valid.</param>
    /// <returns><see langword="true"/> when <paramref name="value"/> is a valid id.</returns>
    public static bool TryParse([NotNullWhen(true)] string? value, out ProjectId id)
    {
        id = default;
        if (string.IsNullOrWhiteSpace(value) || value.Length > 64)
        {
            return false;
        }

        id = new ProjectId(value);
        return true;
    }

    /// <inheritdoc />
    public override string ToString() => Value;

    /// <summary>Reads and writes the value as a JSON string.</summary>
    /// <remarks>Public so that source-generated contexts of other assemblies (custom events) can use it.</remarks>
    public sealed class ProjectIdJsonConverter : JsonConverter<ProjectId>
    {
        /// <inheritdoc />
        public override ProjectId Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            new(reader.GetString() ?? throw new JsonException("A project id must be a non-empty string."));

        /// <inheritdoc />
        public override void Write(Utf8JsonWriter writer, ProjectId value, JsonSerializerOptions options)
        {
            ArgumentNullException.ThrowIfNull(writer);
            writer.WriteStringValue(value.Value);
        }
    }
}
