using System.Text.Json.Serialization;

namespace VirtualItCompany.Tests.Events;

public sealed class ProjectEventTypesTests
{
    [Fact]
    public void Registered_custom_event_round_trips_with_its_discriminator()
    {
        var types = new ProjectEventTypes().Register("invoiceSent", CustomEventsContext.Default.InvoiceSent);
        var original = new InvoiceSent(42.5m, "INV-1") { ProjectId = new ProjectId("prj_1"), Version = 3, Timestamp = DateTimeOffset.UnixEpoch };

        string json = ProjectEventSerializer.Serialize(original, types);
        var back = ProjectEventSerializer.Deserialize(json, types);

        Assert.StartsWith("{\"$type\":\"invoiceSent\"", json, StringComparison.Ordinal);
        Assert.Equal(original, back);
    }

    [Fact]
    public void Registered_types_still_serialize_the_built_in_events()
    {
        var types = new ProjectEventTypes().Register("invoiceSent", CustomEventsContext.Default.InvoiceSent);
        var original = new ProjectPaused("holiday") { ProjectId = new ProjectId("prj_1"), Version = 2, Timestamp = DateTimeOffset.UnixEpoch };

        var back = ProjectEventSerializer.Deserialize(ProjectEventSerializer.Serialize(original, types), types);

        Assert.Equal(original, back);
    }

    [Fact]
    public void Unregistered_custom_event_fails_with_a_message_that_says_how_to_register_it()
    {
        var error = Assert.Throws<NotSupportedException>(() => ProjectEventSerializer.Serialize(new InvoiceSent(1m, "INV-2")));

        Assert.Contains("not registered", error.Message, StringComparison.Ordinal);
        Assert.Contains("Register(\"invoiceSent\", MyJsonContext.Default.InvoiceSent)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Duplicate_discriminator_is_refused()
    {
        var types = new ProjectEventTypes().Register("invoiceSent", CustomEventsContext.Default.InvoiceSent);

        var error = Assert.Throws<ArgumentException>(() => types.Register("invoiceSent", CustomEventsContext.Default.InvoicePaid));

        Assert.Contains("'invoiceSent' is already used by InvoiceSent", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_built_in_discriminator_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => new ProjectEventTypes().Register("projectPaused", CustomEventsContext.Default.InvoicePaid));

        Assert.Contains("already used by ProjectPaused", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Registering_after_the_types_were_used_is_refused()
    {
        var types = new ProjectEventTypes();
        _ = ProjectEventSerializer.Serialize(new ProjectResumed(), types);

        Assert.Throws<InvalidOperationException>(() => types.Register("invoiceSent", CustomEventsContext.Default.InvoiceSent));
    }

    [Fact]
    public void Enums_are_written_as_strings()
    {
        string json = ProjectEventSerializer.Serialize(new ClientInputRequested(ClientInputKind.Review, "ok?"));

        Assert.Contains("\"kind\":\"Review\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Snapshot_round_trips_through_the_serializer_options()
    {
        var created = new ProjectCreated(new ProjectBrief { Title = "T", Description = "D", Budget = 3m }, LifecycleStage.RequirementsAnalysis)
        {
            ProjectId = new ProjectId("prj_s"),
            Version = 1,
            Timestamp = DateTimeOffset.UnixEpoch,
        };
        var snapshot = ProjectSnapshot.Create(created)
            .Apply(new StageChanged(LifecycleStage.RequirementsAnalysis, LifecycleTrigger.ChangesNeeded, LifecycleStage.ProjectPlanning) { Version = 2 });
        var info = (System.Text.Json.Serialization.Metadata.JsonTypeInfo<ProjectSnapshot>)ProjectEventSerializer.Options.GetTypeInfo(typeof(ProjectSnapshot));

        string json = System.Text.Json.JsonSerializer.Serialize(snapshot, info);
        var back = System.Text.Json.JsonSerializer.Deserialize(json, info);

        Assert.NotNull(back);
        Assert.Equal(json, System.Text.Json.JsonSerializer.Serialize(back, info));
        Assert.Equal(1, back.RoundOf(LifecycleStage.ProjectPlanning));
    }
}

/// <summary>A custom event of an application.</summary>
/// <param name="Amount">The amount.</param>
/// <param name="Number">The invoice number.</param>
public sealed record InvoiceSent(decimal Amount, string Number) : ProjectEvent;

/// <summary>Another custom event.</summary>
/// <param name="Number">The invoice number.</param>
public sealed record InvoicePaid(string Number) : ProjectEvent;

[JsonSerializable(typeof(InvoiceSent))]
[JsonSerializable(typeof(InvoicePaid))]
internal sealed partial class CustomEventsContext : JsonSerializerContext;
