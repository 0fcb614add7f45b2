using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using VirtualItCompany.Tests.Runtime;

namespace VirtualItCompany.Tests.Chat;

/// <summary>The company's one chat pipeline: typed per-item context, app middleware, and every charge an event that agrees with the budget account.</summary>
public sealed class ChatPipelineTests
{
    private static readonly ChatMessage[] Hello = [new(ChatRole.User, "hello")];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task App_middleware_sees_every_agent_call_with_its_work_item_context_and_the_routers_decision()
    {
        var outer = new System.Collections.Concurrent.ConcurrentBag<ModelCallContext?>();
        var inner = new System.Collections.Concurrent.ConcurrentBag<(ModelCallContext? Context, RoutingDecision? Decision)>();
        await using var company = new TestCompany(b => b
            .ConfigureChatPipeline(p => p.Use(async (messages, options, next, ct) =>
            {
                outer.Add(ModelCallContext.From(options));
                await next(messages, options, ct);
            }))
            .ConfigureChatPipeline(p => p.Use((messages, options, client, ct) => Observe(messages, options, client, ct, inner), null)));

        var project = await company.Company.SubmitAsync(TestCompany.Brief(), Ct);
        var events = await company.WatchUntilAsync(project.Id, e => e is ProjectCompleted);

        var calls = events.OfType<ModelCallCompleted>().ToList();
        Assert.NotEmpty(calls);
        Assert.Equal(calls.Count, outer.Count);
        Assert.Equal(calls.Count, inner.Count);
        var scheduled = events.OfType<WorkItemScheduled>().Select(e => e.Item.Id).ToHashSet();
        Assert.All(outer, c => Assert.Contains(c!.WorkItemId, scheduled));
        Assert.All(inner, s => Assert.Equal(project.Id, s.Context!.ProjectId));
        // The app's middleware sits outside the router: every response it sees carries the router's decision.
        Assert.All(inner, s => Assert.NotNull(s.Decision));
    }

    [Fact]
    public async Task A_stream_the_agent_never_disposes_is_charged_when_its_item_ends_and_the_events_agree_with_the_account()
    {
        var model = new SlowStreamModel();
        var manager = new ScriptedAgent(AgentRole.ProjectManager, async (ctx, n) =>
        {
            if (ctx.WorkItem.Stage == LifecycleStage.RequirementsAnalysis)
            {
                // Read the first update and walk away: the enumerator is never disposed.
                var stream = ctx.ChatClient.GetStreamingResponseAsync(Hello, cancellationToken: CancellationToken.None).GetAsyncEnumerator(CancellationToken.None);
                Assert.True(await stream.MoveNextAsync());
                return AgentOutcome.Completed("clear enough", LifecycleTrigger.RequirementsClear);
            }

            await ctx.ChatClient.GetResponseAsync(Hello);
            return ctx.WorkItem.Stage == LifecycleStage.ProjectPlanning
                ? AgentOutcome.Completed("planned", LifecycleTrigger.PlanReady, [new PlanCreated([new PlannedFeature("a", "A.")])])
                : AgentOutcome.Completed("approved", LifecycleTrigger.ClientApproved);
        });
        await using var company = new TestCompany(b => b.AddAgent(manager).Services.AddSingleton<IChatClient>(model));

        var project = await company.Company.SubmitAsync(TestCompany.Brief(), Ct);
        var events = await company.WatchUntilAsync(project.Id, e => e is ProjectCompleted);

        var abandoned = Assert.Single(events.OfType<ModelCallCompleted>(), e => e.Outcome == ModelChargeKind.Abandoned);
        Assert.True(abandoned.Cost > 0m);
        await AssertEventsAgreeWithAccount(company, project.Id);
        model.Release();
    }

    [Fact]
    public async Task A_call_that_fails_after_it_was_sent_is_charged_and_recorded_as_a_failed_call()
    {
        var model = new FailingOnceModel();
        await using var company = new TestCompany(b => b.Services.AddSingleton<IChatClient>(model));

        var project = await company.Company.SubmitAsync(TestCompany.Brief(), Ct);
        var events = await company.WatchUntilAsync(project.Id, e => e is ProjectCompleted);

        var failed = Assert.Single(events.OfType<ModelCallCompleted>(), e => e.Outcome == ModelChargeKind.Failed);
        Assert.True(failed.Cost > 0m);
        await AssertEventsAgreeWithAccount(company, project.Id);
    }

    private static async Task AssertEventsAgreeWithAccount(TestCompany company, ProjectId id)
    {
        var snapshot = await company.Company.GetAsync(id, Ct);
        var balance = await company.Services.GetRequiredService<IBudgetAccount>().GetBalanceAsync(BudgetScope.ForProject(id), Ct);
        Assert.Equal(balance.Spent, snapshot.Spent);
        Assert.Equal(0m, balance.Reserved);
    }

    private static async Task<ChatResponse> Observe(IEnumerable<ChatMessage> messages, ChatOptions? options, IChatClient inner, CancellationToken ct, System.Collections.Concurrent.ConcurrentBag<(ModelCallContext?, RoutingDecision?)> seen)
    {
        var response = await inner.GetResponseAsync(messages, options, ct);
        seen.Add((ModelCallContext.From(options), response.GetRoutingDecision()));
        return response;
    }

    /// <summary>Answers calls at once; streams one update, then waits until released.</summary>
    private sealed class SlowStreamModel : IChatClient
    {
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Release() => _release.TrySetResult();

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "ok")) { ModelId = "slow", Usage = new() { InputTokenCount = 10, OutputTokenCount = 2 } });

        public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            yield return new ChatResponseUpdate(ChatRole.Assistant, "first") { ModelId = "slow" };
            await _release.Task.WaitAsync(cancellationToken);
        }

        public object? GetService(Type serviceType, object? serviceKey = null) =>
            serviceType == typeof(ModelPricing) ? new ModelPricing(1m, 2m) : serviceType == typeof(ChatClientMetadata) ? new ChatClientMetadata("test", null, "slow") : null;

        public void Dispose()
        {
        }
    }

    /// <summary>The first call fails after it was sent (it may have been billed); later calls answer.</summary>
    private sealed class FailingOnceModel : IChatClient
    {
        private int _calls;

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            Interlocked.Increment(ref _calls) == 1
                ? throw new InvalidOperationException("the connection broke after the request was sent")
                : Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "ok")) { ModelId = "flaky", Usage = new() { InputTokenCount = 10, OutputTokenCount = 2 } });

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) =>
            serviceType == typeof(ModelPricing) ? new ModelPricing(1m, 2m) : serviceType == typeof(ChatClientMetadata) ? new ChatClientMetadata("test", null, "flaky") : null;

        public void Dispose()
        {
        }
    }
}
