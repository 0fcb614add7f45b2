using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace VirtualItCompany;

/// <summary>A stage of a project's delivery lifecycle, such as requirements analysis or testing.</summary>
/// <remarks>An extensible value: compare by <see cref="Value"/> (ordinal, case-insensitive); define your own with the constructor.</remarks>
[JsonConverter(typeof(LifecycleStageJsonConverter))]
public readonly struct LifecycleStage : IEquatable<LifecycleStage>
{
    /// <summary>Creates a value from its name.</summary>
    /// <param name="value">The name; not empty or white space.</param>
    /// <exception cref="ArgumentException"><paramref name="value"/> is empty or white space.</exception>
    public LifecycleStage(string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value);
        _value = value;
    }

    /// <summary>Gets the name of this value.</summary>
    public string Value => _value ?? string.Empty;

    private readonly string? _value;

    /// <summary>The project manager turns the brief into requirements, asking the client when unclear.</summary>
    public static LifecycleStage RequirementsAnalysis { get; } = new("RequirementsAnalysis");

    /// <summary>The project manager plans the features.</summary>
    public static LifecycleStage ProjectPlanning { get; } = new("ProjectPlanning");

    /// <summary>DevOps sets up the repository and the designer writes design notes.</summary>
    public static LifecycleStage SetupDevelopment { get; } = new("SetupDevelopment");

    /// <summary>Developers build the planned features, one work item each.</summary>
    public static LifecycleStage FeatureDevelopment { get; } = new("FeatureDevelopment");

    /// <summary>The code reviewer approves the code or asks for changes.</summary>
    public static LifecycleStage CodeReview { get; } = new("CodeReview");

    /// <summary>The tester writes and runs the tests.</summary>
    public static LifecycleStage Testing { get; } = new("Testing");

    /// <summary>DevOps deploys to staging and checks its health.</summary>
    public static LifecycleStage StagingDeployment { get; } = new("StagingDeployment");

    /// <summary>The client reviews the staging deployment.</summary>
    public static LifecycleStage ClientReview { get; } = new("ClientReview");

    /// <summary>DevOps deploys to production.</summary>
    public static LifecycleStage ProductionDeployment { get; } = new("ProductionDeployment");

    /// <summary>DevOps watches production for a monitoring window.</summary>
    public static LifecycleStage Monitoring { get; } = new("Monitoring");

    /// <summary>The project is delivered (terminal).</summary>
    public static LifecycleStage Completed { get; } = new("Completed");

    /// <inheritdoc />
    public bool Equals(LifecycleStage other) => string.Equals(Value, other.Value, StringComparison.OrdinalIgnoreCase);

    /// <inheritdoc />
    public override bool Equals([NotNullWhen(true)] object? obj) => obj is LifecycleStage other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.OrdinalIgnoreCase.GetHashCode(Value);

    /// <inheritdoc />
    public override string ToString() => Value;

    /// <summary>Compares two values for equality.</summary>
    public static bool operator ==(LifecycleStage left, LifecycleStage right) => left.Equals(right);

    /// <summary>Compares two values for inequality.</summary>
    public static bool operator !=(LifecycleStage left, LifecycleStage right) => !left.Equals(right);

    /// <summary>Reads and writes the value as a JSON string.</summary>
    public sealed class LifecycleStageJsonConverter : JsonConverter<LifecycleStage>
    {
        /// <inheritdoc />
        public override LifecycleStage Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            new(reader.GetString() ?? throw new JsonException("A LifecycleStage must be a non-empty string."));

        /// <inheritdoc />
        public override void Write(Utf8JsonWriter writer, LifecycleStage value, JsonSerializerOptions options)
        {
            ArgumentNullException.ThrowIfNull(writer);
            writer.WriteStringValue(value.Value);
        }

        /// <inheritdoc />
        public override LifecycleStage ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            new(reader.GetString() ?? throw new JsonException("A LifecycleStage must be a non-empty string."));

        /// <inheritdoc />
        public override void WriteAsPropertyName(Utf8JsonWriter writer, LifecycleStage value, JsonSerializerOptions options)
        {
            ArgumentNullException.ThrowIfNull(writer);
            writer.WritePropertyName(value.Value);
        }
    }
}
