using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using VirtualItCompany.Testing;

namespace VirtualItCompany.Tests.Runtime;

public sealed class BudgetTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Exhausted_budget_parks_the_work_asks_the_client_and_added_budget_lets_it_go_on()
    {
        var model = new BudgetGate();
        await using var company = new TestCompany(b => b.Services.AddSingleton<IChatClient>(model));
        var project = await company.Company.SubmitAsync(TestCompany.Brief() with { Budget = 1m }, Ct);

        var events = await company.WatchUntilAsync(project.Id, e => e is ClientInputRequested);

        var ask = (ClientInputRequested)events[^1];
        Assert.Equal(ClientInputKind.Budget, ask.Kind);
        Assert.Equal(0.5m, ask.BudgetShortfall);
        Assert.Contains("Add at least $0.5", ask.Question, StringComparison.Ordinal);
        var waiting = await company.Company.GetAsync(project.Id, Ct);
        Assert.Equal(ProjectStatus.WaitingForClient, waiting.Status);
        Assert.Single(waiting.ParkedWork);
        Assert.DoesNotContain(events, e => e is WorkItemFailed);

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => company.Company.AddBudgetAsync(project.Id, 0m, Ct));
        model.Open = true;
        var raised = await company.Company.AddBudgetAsync(project.Id, 2m, Ct);
        Assert.Equal(3m, raised.Brief.Budget);
        Assert.Equal(ProjectStatus.Active, raised.Status);

        await company.WatchUntilAsync(project.Id, e => e is ProjectCompleted, events[^1].Version);
        Assert.Equal(ProjectStatus.Completed, (await company.Company.GetAsync(project.Id, Ct)).Status);
    }

    [Fact]
    public async Task Budget_can_be_added_to_a_running_project_but_not_an_ended_one()
    {
        await using var company = new TestCompany(startWorkers: false);
        var project = await company.Company.SubmitAsync(TestCompany.Brief() with { Budget = 1m }, Ct);

        var raised = await company.Company.AddBudgetAsync(project.Id, 4m, Ct);
        Assert.Equal(5m, raised.Brief.Budget);
        Assert.Empty(raised.ParkedWork);

        await company.Company.CancelAsync(project.Id, cancellationToken: Ct);
        await Assert.ThrowsAsync<InvalidProjectOperationException>(() => company.Company.AddBudgetAsync(project.Id, 1m, Ct));
    }

    [Fact]
    public async Task A_spent_company_wide_budget_pauses_the_project_for_the_operator_instead_of_asking_the_client()
    {
        var model = new BudgetGate { Scope = "global" };
        await using var company = new TestCompany(b => b.Services.AddSingleton<IChatClient>(model));
        var project = await company.Company.SubmitAsync(TestCompany.Brief(), Ct);

        var events = await company.WatchUntilAsync(project.Id, e => e is ProjectPaused);

        Assert.DoesNotContain(events, e => e is ClientInputRequested);
        Assert.Contains("GlobalBudget", ((ProjectPaused)events[^1]).Reason, StringComparison.Ordinal);
        model.Open = true;
        await company.Company.ResumeAsync(project.Id, Ct);
        await company.WatchUntilAsync(project.Id, e => e is ProjectCompleted, events[^1].Version);
    }

    /// <summary>A model that refuses every call as over budget until opened, as a router does when nothing fits.</summary>
    private sealed class BudgetGate : IChatClient
    {
        public string Scope { get; init; } = "project:test";

        private readonly FakeChatClient _inner = new("fake-model", new ModelPricing(1m, 2m));

        public volatile bool Open;

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            Open ? _inner.GetResponseAsync(messages, options, cancellationToken) : throw new BudgetExhaustedException(Scope, 1.5m, 1m);

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            Open ? _inner.GetStreamingResponseAsync(messages, options, cancellationToken) : throw new BudgetExhaustedException(Scope, 1.5m, 1m);

        public object? GetService(Type serviceType, object? serviceKey = null) => _inner.GetService(serviceType, serviceKey);

        public void Dispose() => _inner.Dispose();
    }
}
