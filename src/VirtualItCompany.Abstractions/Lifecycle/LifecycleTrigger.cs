using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace VirtualItCompany;

/// <summary>What moves a project from one lifecycle stage to the next, such as approval of a code review.</summary>
/// <remarks>An extensible value: compare by <see cref="Value"/> (ordinal, case-insensitive); define your own with the constructor.</remarks>
[JsonConverter(typeof(LifecycleTriggerJsonConverter))]
public readonly struct LifecycleTrigger : IEquatable<LifecycleTrigger>
{
    /// <summary>Creates a value from its name.</summary>
    /// <param name="value">The name; not empty or white space.</param>
    /// <exception cref="ArgumentException"><paramref name="value"/> is empty or white space.</exception>
    public LifecycleTrigger(string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value);
        _value = value;
    }

    /// <summary>Gets the name of this value.</summary>
    public string Value => _value ?? string.Empty;

    private readonly string? _value;

    /// <summary>The requirements are clear enough to plan.</summary>
    public static LifecycleTrigger RequirementsClear { get; } = new("RequirementsClear");

    /// <summary>The requirements need the client's answer.</summary>
    public static LifecycleTrigger NeedsClarification { get; } = new("NeedsClarification");

    /// <summary>The feature plan is ready.</summary>
    public static LifecycleTrigger PlanReady { get; } = new("PlanReady");

    /// <summary>The repository and design notes are ready.</summary>
    public static LifecycleTrigger SetupComplete { get; } = new("SetupComplete");

    /// <summary>Every planned feature is written.</summary>
    public static LifecycleTrigger FeaturesComplete { get; } = new("FeaturesComplete");

    /// <summary>The code review approved the code.</summary>
    public static LifecycleTrigger ReviewApproved { get; } = new("ReviewApproved");

    /// <summary>The code review asked for changes.</summary>
    public static LifecycleTrigger ChangesNeeded { get; } = new("ChangesNeeded");

    /// <summary>The tests ran and passed.</summary>
    public static LifecycleTrigger TestsPassed { get; } = new("TestsPassed");

    /// <summary>The tests ran and failed.</summary>
    public static LifecycleTrigger TestsFailed { get; } = new("TestsFailed");

    /// <summary>Staging is deployed and healthy.</summary>
    public static LifecycleTrigger StagingDeployed { get; } = new("StagingDeployed");

    /// <summary>The client approved the staging deployment.</summary>
    public static LifecycleTrigger ClientApproved { get; } = new("ClientApproved");

    /// <summary>The client asked for changes.</summary>
    public static LifecycleTrigger ClientRequestedChanges { get; } = new("ClientRequestedChanges");

    /// <summary>Production is deployed and healthy.</summary>
    public static LifecycleTrigger ProductionDeployed { get; } = new("ProductionDeployed");

    /// <summary>The monitoring window passed with no issue.</summary>
    public static LifecycleTrigger ProjectComplete { get; } = new("ProjectComplete");

    /// <summary>Monitoring found an issue to fix.</summary>
    public static LifecycleTrigger IssuesFound { get; } = new("IssuesFound");

    /// <inheritdoc />
    public bool Equals(LifecycleTrigger other) => string.Equals(Value, other.Value, StringComparison.OrdinalIgnoreCase);

    /// <inheritdoc />
    public override bool Equals([NotNullWhen(true)] object? obj) => obj is LifecycleTrigger other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.OrdinalIgnoreCase.GetHashCode(Value);

    /// <inheritdoc />
    public override string ToString() => Value;

    /// <summary>Compares two values for equality.</summary>
    public static bool operator ==(LifecycleTrigger left, LifecycleTrigger right) => left.Equals(right);

    /// <summary>Compares two values for inequality.</summary>
    public static bool operator !=(LifecycleTrigger left, LifecycleTrigger right) => !left.Equals(right);

    /// <summary>Reads and writes the value as a JSON string.</summary>
    public sealed class LifecycleTriggerJsonConverter : JsonConverter<LifecycleTrigger>
    {
        /// <inheritdoc />
        public override LifecycleTrigger Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            new(reader.GetString() ?? throw new JsonException("A LifecycleTrigger must be a non-empty string."));

        /// <inheritdoc />
        public override void Write(Utf8JsonWriter writer, LifecycleTrigger value, JsonSerializerOptions options)
        {
            ArgumentNullException.ThrowIfNull(writer);
            writer.WriteStringValue(value.Value);
        }
    }
}
