using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace VirtualItCompany;

/// <summary>A role in the delivery team, such as the project manager or the developer.</summary>
/// <remarks>An extensible value: compare by <see cref="Value"/> (ordinal, case-insensitive); define your own with the constructor.</remarks>
[JsonConverter(typeof(AgentRoleJsonConverter))]
public readonly struct AgentRole : IEquatable<AgentRole>
{
    /// <summary>Creates a value from its name.</summary>
    /// <param name="value">The name; not empty or white space.</param>
    /// <exception cref="ArgumentException"><paramref name="value"/> is empty or white space.</exception>
    public AgentRole(string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value);
        _value = value;
    }

    /// <summary>Gets the name of this value.</summary>
    public string Value => _value ?? string.Empty;

    private readonly string? _value;

    /// <summary>Captures requirements, plans the work and talks to the client.</summary>
    public static AgentRole ProjectManager { get; } = new("ProjectManager");

    /// <summary>Writes the code of each planned feature.</summary>
    public static AgentRole Developer { get; } = new("Developer");

    /// <summary>Writes and runs the tests.</summary>
    public static AgentRole Tester { get; } = new("Tester");

    /// <summary>Sets up the repository, deploys and monitors.</summary>
    public static AgentRole DevOps { get; } = new("DevOps");

    /// <summary>Writes the design notes the developers follow.</summary>
    public static AgentRole Designer { get; } = new("Designer");

    /// <summary>Reviews the code before it is tested.</summary>
    public static AgentRole CodeReviewer { get; } = new("CodeReviewer");

    /// <inheritdoc />
    public bool Equals(AgentRole other) => string.Equals(Value, other.Value, StringComparison.OrdinalIgnoreCase);

    /// <inheritdoc />
    public override bool Equals([NotNullWhen(true)] object? obj) => obj is AgentRole other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.OrdinalIgnoreCase.GetHashCode(Value);

    /// <inheritdoc />
    public override string ToString() => Value;

    /// <summary>Compares two values for equality.</summary>
    public static bool operator ==(AgentRole left, AgentRole right) => left.Equals(right);

    /// <summary>Compares two values for inequality.</summary>
    public static bool operator !=(AgentRole left, AgentRole right) => !left.Equals(right);

    /// <summary>Reads and writes the value as a JSON string.</summary>
    public sealed class AgentRoleJsonConverter : JsonConverter<AgentRole>
    {
        /// <inheritdoc />
        public override AgentRole Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            new(reader.GetString() ?? throw new JsonException("A AgentRole must be a non-empty string."));

        /// <inheritdoc />
        public override void Write(Utf8JsonWriter writer, AgentRole value, JsonSerializerOptions options)
        {
            ArgumentNullException.ThrowIfNull(writer);
            writer.WriteStringValue(value.Value);
        }
    }
}
