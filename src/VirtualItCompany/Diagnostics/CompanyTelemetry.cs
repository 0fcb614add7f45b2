using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace VirtualItCompany.Diagnostics;

/// <summary>The names under which the runtime reports traces and metrics; listen with OpenTelemetry's <c>AddSource</c>/<c>AddMeter</c>.</summary>
public static class CompanyTelemetry
{
    /// <summary>The name of the <see cref="ActivitySource"/> and <see cref="Meter"/> of the runtime.</summary>
    public const string SourceName = "VirtualItCompany.Runtime";

    /// <summary>The source name of the agents' chat pipeline's OpenTelemetry (Microsoft.Extensions.AI's gen_ai spans and metrics).</summary>
    public const string ChatSourceName = "VirtualItCompany.Chat";

    internal static readonly ActivitySource ActivitySource = new(SourceName);

    internal static readonly Meter Meter = new(SourceName);

    internal static readonly Counter<long> WorkItems = Meter.CreateCounter<long>("vic.work_items", "{item}", "Work items finished, by role, stage and outcome.");

    internal static readonly Histogram<double> WorkItemDuration = Meter.CreateHistogram<double>("vic.work_item.duration", "s", "How long agents worked on a work item.");

    internal static readonly Counter<double> Cost = Meter.CreateCounter<double>("vic.model.cost", "USD", "What model calls were charged, by model and role.");
}
