using System.Collections.Concurrent;
using Microsoft.Extensions.AI;

namespace VirtualItCompany.Routing.Tests.Journal;

/// <summary>A call a work item's earlier try paid for is answered from the journal on a later try: the model is not called and nothing is charged again.</summary>
public sealed class ModelCallJournalTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_completed_call_is_recorded_before_it_is_settled_and_its_charge_says_so()
    {
        var journal = new RecordingJournal();
        var model = new FakeModel("a") { OutputTokens = 1_000 };
        var router = Router(model, journal);
        var budget = new InMemoryBudgetAccount();
        journal.OnRecord = record => Assert.Equal(0m, router.Project("p").Spent); // not yet settled when recorded
        var context = Try(router, token: 7);

        var response = await router.GetResponseAsync(Models.Ask("plan the features"), context.AttachTo(null), Ct);

        var record = Assert.Single(journal.Records.Values);
        Assert.Equal("wi_1", record.WorkItemId);
        Assert.Equal(7, record.LeaseToken);
        Assert.Equal(router.Project("p").Spent, record.Cost);
        Assert.True(record.Cost > 0m);
        Assert.Equal(response.Text, CallJournal.Deserialize(record.Response).Text);
        var charge = Assert.Single(context.TakeCharges());
        Assert.True(charge.Journaled);
        Assert.Equal(ModelChargeKind.Completed, charge.Kind);
    }

    [Fact]
    public async Task A_later_try_is_answered_from_the_journal_without_calling_the_model_or_charging_again()
    {
        var journal = new RecordingJournal();
        var model = new FakeModel("a") { OutputTokens = 1_000 };
        var router = Router(model, journal);
        var first = await router.GetResponseAsync(Models.Ask("plan the features"), Try(router, token: 1).AttachTo(null), Ct);
        decimal spent = router.Project("p").Spent;

        var retry = Try(router, token: 2, previousAttempts: 1);
        var again = await router.GetResponseAsync(Models.Ask("plan the features"), retry.AttachTo(null), Ct);

        Assert.Equal(1, model.Calls);
        Assert.Equal(first.Text, again.Text);
        Assert.Equal(spent, router.Project("p").Spent);
        var charge = Assert.Single(retry.TakeCharges());
        Assert.Equal(ModelChargeKind.Replayed, charge.Kind);
        Assert.Equal(0m, charge.Cost);
        Assert.Equal("a", charge.ModelId);
    }

    [Fact]
    public async Task A_replayed_call_is_answered_even_when_the_budget_no_longer_has_room_for_it()
    {
        var journal = new RecordingJournal();
        var model = new FakeModel("a") { OutputTokens = 1_000 };
        var router = Router(model, journal);
        await router.GetResponseAsync(Models.Ask("plan the features"), Try(router, token: 1).AttachTo(null), Ct);
        await router.Budget.SetLimitAsync(BudgetScope.ForProject(new ProjectId("p")), router.Project("p").Spent, Ct);

        var again = await router.GetResponseAsync(Models.Ask("plan the features"), Try(router, token: 2, setLimit: false).AttachTo(null), Ct);

        Assert.Equal(1, model.Calls);
        Assert.NotEmpty(again.Text);
    }

    [Fact]
    public async Task Identical_calls_within_a_try_are_told_apart_and_a_different_request_is_not_replayed()
    {
        var journal = new RecordingJournal();
        var model = new FakeModel("a");
        var router = Router(model, journal);
        var first = Try(router, token: 1);
        await router.GetResponseAsync(Models.Ask("same question"), first.AttachTo(null), Ct);
        await router.GetResponseAsync(Models.Ask("same question"), first.AttachTo(null), Ct);
        Assert.Equal(2, journal.Records.Count);

        var second = Try(router, token: 2);
        await router.GetResponseAsync(Models.Ask("same question"), second.AttachTo(null), Ct);
        await router.GetResponseAsync(Models.Ask("same question"), second.AttachTo(null), Ct);
        await router.GetResponseAsync(Models.Ask("same question"), second.AttachTo(null), Ct); // a third: never made before
        await router.GetResponseAsync(Models.Ask("another question"), second.AttachTo(null), Ct);

        Assert.Equal(4, model.Calls);
        Assert.Equal([ModelChargeKind.Replayed, ModelChargeKind.Replayed, ModelChargeKind.Completed, ModelChargeKind.Completed], second.TakeCharges().Select(c => c.Kind));
    }

    [Fact]
    public async Task A_streamed_call_is_recorded_whole_and_replayed_as_a_stream()
    {
        var journal = new RecordingJournal();
        var model = new FakeModel("a");
        var router = Router(model, journal);
        string streamed = string.Concat(await Collect(router.GetStreamingResponseAsync(Models.Ask("stream it"), Try(router, token: 1).AttachTo(null), Ct)));

        string replayed = string.Concat(await Collect(router.GetStreamingResponseAsync(Models.Ask("stream it"), Try(router, token: 2).AttachTo(null), Ct)));

        Assert.Equal(1, model.Calls);
        Assert.Equal("Hello from the model", streamed);
        Assert.Equal(streamed, replayed);
    }

    [Fact]
    public async Task Calls_outside_a_work_item_are_not_journaled()
    {
        var journal = new RecordingJournal();
        var router = Router(new FakeModel("a"), journal);

        await router.GetResponseAsync(Models.Ask("hello"), null, Ct);

        Assert.Empty(journal.Records);
    }

    [Fact]
    public async Task A_journal_that_fails_to_record_does_not_fail_the_call_and_the_charge_is_not_marked_journaled()
    {
        var journal = new RecordingJournal { OnRecord = _ => throw new IOException("disk full") };
        var router = Router(new FakeModel("a"), journal);
        var context = Try(router, token: 1);

        var response = await router.GetResponseAsync(Models.Ask("hello"), context.AttachTo(null), Ct);

        Assert.NotEmpty(response.Text);
        Assert.False(Assert.Single(context.TakeCharges()).Journaled);
    }

    [Fact]
    public void The_fingerprint_reads_the_request_but_not_the_work_items_context()
    {
        var ask = Models.Ask("hello");
        string a = CallJournal.Fingerprint(ask, TestBudgets.Context(workItemId: "wi_1").AttachTo(new ChatOptions { Temperature = 0.2f }));
        string b = CallJournal.Fingerprint(ask, TestBudgets.Context(workItemId: "wi_2").AttachTo(new ChatOptions { Temperature = 0.2f }));
        string c = CallJournal.Fingerprint(ask, new ChatOptions { Temperature = 0.3f });
        string d = CallJournal.Fingerprint(Models.Ask("hello!"), new ChatOptions { Temperature = 0.2f });

        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
        Assert.NotEqual(a, d);
    }

    private static CostAwareRoutingChatClient Router(FakeModel model, IModelCallJournal journal) =>
        new([new RoutedModel(Models.Profile(model.ModelId, input: 1m, output: 10m), model)], Models.OneBand(BandOrder.Preference, model.ModelId), journal: journal);

    private static ModelCallContext Try(CostAwareRoutingChatClient router, long token, int previousAttempts = 0, bool setLimit = true)
    {
        if (setLimit)
        {
            router.Budget.SetLimitAsync(BudgetScope.ForProject(new ProjectId("p")), 10m).AsTask().GetAwaiter().GetResult();
        }

        return new ModelCallContext(new ProjectId("p"), "wi_1", AgentRole.Developer, new LifecycleStage("Development"), previousAttempts) { LeaseToken = token };
    }

    private static async Task<List<string>> Collect(IAsyncEnumerable<ChatResponseUpdate> updates)
    {
        var texts = new List<string>();
        await foreach (var update in updates)
        {
            texts.Add(update.Text);
        }

        return texts;
    }

    /// <summary>A journal in a dictionary: a unit-test stand-in for a store's journal.</summary>
    private sealed class RecordingJournal : IModelCallJournal
    {
        public ConcurrentDictionary<(string, string), ModelCallRecord> Records { get; } = new();

        public Action<ModelCallRecord>? OnRecord { get; set; }

        public ValueTask<ModelCallRecord?> FindAsync(string workItemId, string callKey, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Records.TryGetValue((workItemId, callKey), out var record) ? record : null);

        public ValueTask<bool> RecordAsync(ModelCallRecord record, CancellationToken cancellationToken = default)
        {
            OnRecord?.Invoke(record);
            return ValueTask.FromResult(Records.TryAdd((record.WorkItemId, record.CallKey), record));
        }

        public ValueTask<IReadOnlyList<ModelCallRecord>> ListAsync(string workItemId, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult<IReadOnlyList<ModelCallRecord>>([.. Records.Values.Where(r => r.WorkItemId == workItemId)]);
    }
}
