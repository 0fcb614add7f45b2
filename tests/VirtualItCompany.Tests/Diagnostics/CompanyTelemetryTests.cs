using System.Collections.Concurrent;
using System.Diagnostics;
using VirtualItCompany.Diagnostics;
using VirtualItCompany.Tests.Runtime;

namespace VirtualItCompany.Tests.Diagnostics;

public sealed class CompanyTelemetryTests
{
    [Fact]
    public async Task Model_calls_and_work_items_are_traced_with_gen_ai_attributes_and_cost()
    {
        var activities = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == CompanyTelemetry.SourceName,
            Sample = (ref _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activities.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        await using var company = new TestCompany();

        var project = await company.Company.SubmitAsync(TestCompany.Brief(), TestContext.Current.CancellationToken);
        await company.WatchUntilAsync(project.Id, e => e is ProjectCompleted);

        var mine = activities.Where(a => Equals(a.GetTagItem(AgentChatTags.ProjectId), project.Id.Value)).ToList();
        var chat = mine.Where(a => a.OperationName == "chat").ToList();
        Assert.Equal(company.Model.Calls, chat.Count);
        Assert.All(chat, a =>
        {
            Assert.Equal("fake-model", a.GetTagItem("gen_ai.response.model"));
            Assert.Equal(100L, a.GetTagItem("gen_ai.usage.input_tokens"));
            Assert.Equal(20L, a.GetTagItem("gen_ai.usage.output_tokens"));
            Assert.Equal((double)((100 * 1m + 20 * 2m) / 1_000_000m), a.GetTagItem("vic.cost_usd"));
        });
        var items = mine.Where(a => a.OperationName.StartsWith("work_item ", StringComparison.Ordinal)).ToList();
        Assert.Equal(chat.Count, items.Count);
        Assert.All(chat, c => Assert.Contains(items, i => i.SpanId == c.ParentSpanId));
    }
}
