using System.Text.Json.Serialization;

namespace VirtualItCompany.Aot.Tests;

/// <summary>A custom event registered with its source-generated metadata serializes with reflection-based JSON turned off.</summary>
public sealed class CustomEventWithoutReflectionTests
{
    [Fact]
    public void Registered_custom_event_round_trips()
    {
        var types = new ProjectEventTypes().Register("invoiceSent", AotTestEventsContext.Default.InvoiceSent);
        var original = new InvoiceSent(42.5m, "INV-1") { ProjectId = new ProjectId("prj_1"), Version = 3, Timestamp = DateTimeOffset.UnixEpoch };

        string json = ProjectEventSerializer.Serialize(original, types);
        var back = ProjectEventSerializer.Deserialize(json, types);

        Assert.StartsWith("{\"$type\":\"invoiceSent\"", json, StringComparison.Ordinal);
        Assert.Equal(original, back);
    }
}

/// <summary>A custom event of an application.</summary>
/// <param name="Amount">The amount invoiced.</param>
/// <param name="Number">The invoice number.</param>
public sealed record InvoiceSent(decimal Amount, string Number) : ProjectEvent;

[JsonSerializable(typeof(InvoiceSent))]
internal sealed partial class AotTestEventsContext : JsonSerializerContext;
