using System.Collections.Concurrent;
using System.Diagnostics;
using VirtualItCompany.Diagnostics;
using VirtualItCompany.Tests.Runtime;

namespace VirtualItCompany.Tests.Diagnostics;

public sealed class CompanyTelemetryTests
{
    [Fact]
    public async Task Model_calls_are_traced_by_the_pipelines_OpenTelemetry_under_their_work_item_and_the_router_adds_the_cost()
    {
        var activities = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name is CompanyTelemetry.SourceName or CompanyTelemetry.ChatSourceName or "VirtualItCompany.Routing",
            Sample = (ref _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activities.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        var company = new TestCompany();
        ProjectSnapshot project;
        await using (company)
        {
            project = await company.Company.SubmitAsync(TestCompany.Brief(), TestContext.Current.CancellationToken);
            await company.WatchUntilAsync(project.Id, e => e is ProjectCompleted);

            // ProjectCompleted is published by the last item's commit, before that item's span ends: stopping the
            // workers (disposal waits for them) lets every span end before they are counted.
        }

        var items = activities.Where(a => a.Source.Name == CompanyTelemetry.SourceName && Equals(a.GetTagItem(AgentChatTags.ProjectId), project.Id.Value)).ToList();
        var itemSpans = items.Select(i => i.SpanId).ToHashSet();
        // Microsoft.Extensions.AI's OpenTelemetryChatClient writes the gen_ai span of each call, inside its work item's span.
        var chat = activities.Where(a => a.Source.Name == CompanyTelemetry.ChatSourceName && Equals(a.GetTagItem("gen_ai.operation.name"), "chat") && Ancestors(a).Any(p => itemSpans.Contains(p.SpanId))).ToList();
        Assert.Equal(company.Model.Calls, chat.Count);
        Assert.Equal(items.Count, chat.Count);
        Assert.All(chat, a =>
        {
            Assert.Equal("fake-model", a.GetTagItem("gen_ai.response.model"));
            Assert.Equal(100L, Convert.ToInt64(a.GetTagItem("gen_ai.usage.input_tokens"), System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(20L, Convert.ToInt64(a.GetTagItem("gen_ai.usage.output_tokens"), System.Globalization.CultureInfo.InvariantCulture));
        });
        var chatSpans = chat.Select(c => c.SpanId).ToHashSet();
        // Under it, the router's attempt says what it cost.
        var attempts = activities.Where(a => a.Source.Name == "VirtualItCompany.Routing" && Ancestors(a).Any(p => chatSpans.Contains(p.SpanId))).ToList();
        Assert.Equal(chat.Count, attempts.Count);
        Assert.All(attempts, a => Assert.Equal((double)((100 * 1m + 20 * 2m) / 1_000_000m), a.GetTagItem("vic.cost_usd")));
    }

    private static IEnumerable<Activity> Ancestors(Activity activity)
    {
        for (var parent = activity.Parent; parent is not null; parent = parent.Parent)
        {
            yield return parent;
        }
    }
}
