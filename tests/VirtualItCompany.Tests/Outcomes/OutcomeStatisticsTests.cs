using Microsoft.Extensions.Time.Testing;
using VirtualItCompany.Lifecycle;
using VirtualItCompany.Outcomes;
using VirtualItCompany.Routing;
using VirtualItCompany.Runtime;
using VirtualItCompany.Storage;
using VirtualItCompany.Tests.Storage;

namespace VirtualItCompany.Tests.Outcomes;

/// <summary>
/// Where the statistics get their events: this process's commits from the feed (not read back from the store), and any
/// commit they did not see (another process's) from the store.
/// </summary>
public sealed class OutcomeStatisticsTests
{
    private static readonly AgentRole Dev = AgentRole.Developer;
    private static readonly LifecycleStage Code = LifecycleStage.FeatureDevelopment;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task This_processs_commits_are_folded_from_the_feed_and_a_commit_it_did_not_see_is_read_from_the_store()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var store = new CountingProjectStore(new InMemoryCompanyStore(time));
        using var feed = new ProjectEventFeed();
        using var statistics = new ModelOutcomeStatistics(store, LifecycleDefinition.Default, new OutcomeFeedbackOptions(), time, feed);
        var project = new Project(store, feed, new ProjectId("p-1"));

        await project.CommitAsync(publish: true, new ProjectCreated(new ProjectBrief { Title = "t", Description = "d", AcceptanceCriteria = ["a"], Budget = 1m }, LifecycleStage.RequirementsAnalysis));
        await project.CommitAsync(publish: true, new StageChanged(LifecycleStage.RequirementsAnalysis, LifecycleTrigger.RequirementsClear, LifecycleStage.ProjectPlanning));
        await project.CommitAsync(publish: true, new StageChanged(LifecycleStage.ProjectPlanning, LifecycleTrigger.PlanReady, LifecycleStage.SetupDevelopment));
        await project.CommitAsync(publish: true, new StageChanged(LifecycleStage.SetupDevelopment, LifecycleTrigger.SetupComplete, Code), Call("cheap"));
        await project.CommitAsync(publish: true, new StageChanged(Code, LifecycleTrigger.FeaturesComplete, LifecycleStage.CodeReview));
        await project.CommitAsync(publish: true, new StageChanged(LifecycleStage.CodeReview, LifecycleTrigger.ChangesNeeded, Code) { IsLoop = true });

        var report = await statistics.GetReportAsync(project.Call(), Ct);
        Assert.Equal([new ModelOutcomeRate("cheap", Dev, Code, 0, 1)], report.Rates);
        // The first report lists the projects (a snapshot read), but every event came from the feed.
        Assert.Equal(0, store.EventReads);

        // Another process's commit (not published here), then one of this process: the gap is read from the store.
        await project.CommitAsync(publish: false, Call("strong"), new StageChanged(Code, LifecycleTrigger.FeaturesComplete, LifecycleStage.CodeReview));
        await project.CommitAsync(publish: true, new StageChanged(LifecycleStage.CodeReview, LifecycleTrigger.ReviewApproved, LifecycleStage.Testing));
        report = await statistics.GetReportAsync(project.Call(), Ct);
        Assert.Equal([new ModelOutcomeRate("cheap", Dev, Code, 0, 1), new ModelOutcomeRate("strong", Dev, Code, 1, 0)], report.Rates);
        Assert.Equal(1, store.EventReads);

        // Published again in order: folded from the feed, nothing read.
        await project.CommitAsync(publish: true, new StageChanged(LifecycleStage.Testing, LifecycleTrigger.TestsFailed, Code) { IsLoop = true });
        report = await statistics.GetReportAsync(project.Call(), Ct);
        Assert.Equal([new ModelOutcomeRate("cheap", Dev, Code, 0, 1), new ModelOutcomeRate("strong", Dev, Code, 1, 1)], report.Rates);
        Assert.Equal(1, store.EventReads);

        // The same report from a second instance that folds everything from the store: the feed changed where events come from, not the verdicts.
        using var fromStore = new ModelOutcomeStatistics(store, LifecycleDefinition.Default, new OutcomeFeedbackOptions(), time);
        Assert.Equal(report.Rates, (await fromStore.GetReportAsync(cancellationToken: Ct)).Rates);
    }

    [Fact]
    public async Task Commits_published_out_of_order_are_each_folded_once()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var store = new CountingProjectStore(new InMemoryCompanyStore(time));
        using var feed = new ProjectEventFeed();
        using var statistics = new ModelOutcomeStatistics(store, LifecycleDefinition.Default, new OutcomeFeedbackOptions(), time, feed);
        var project = new Project(store, feed, new ProjectId("p-2"));
        await project.CommitAsync(publish: true, new ProjectCreated(new ProjectBrief { Title = "t", Description = "d", AcceptanceCriteria = ["a"], Budget = 1m }, Code));
        _ = await statistics.GetReportAsync(project.Call(), Ct);

        var work = await project.CommitAsync(publish: false, Call("cheap"));
        var review = await project.CommitAsync(publish: false, new StageChanged(Code, LifecycleTrigger.FeaturesComplete, LifecycleStage.CodeReview));
        var sentBack = await project.CommitAsync(publish: false, new StageChanged(LifecycleStage.CodeReview, LifecycleTrigger.ChangesNeeded, Code) { IsLoop = true });
        // Two committing threads may publish in either order: the later commit first.
        feed.Publish(sentBack);
        feed.Publish(review);
        feed.Publish(work);

        var report = await statistics.GetReportAsync(project.Call(), Ct);
        Assert.Equal([new ModelOutcomeRate("cheap", Dev, Code, 0, 1)], report.Rates);
    }

    private static ModelCallCompleted Call(string model) =>
        new("wi", Dev, Code, "test", model + "-reported", 1, 1, 0m, TimeSpan.Zero, new RoutingDecision(model, 3, false, "r", 0m, []), ModelChargeKind.Completed);

    /// <summary>Commits events to the store as the commit writer does, publishing them or not (another process's commit).</summary>
    private sealed class Project(IProjectStore store, ProjectEventFeed feed, ProjectId id)
    {
        private ProjectSnapshot? _snapshot;

        public ModelCallContext Call() => new(id, "wi-next", Dev, Code) { ProjectVersion = _snapshot?.Version ?? 0 };

        public async Task<ProjectEvent[]> CommitAsync(bool publish, params ProjectEvent[] plan)
        {
            long expected = _snapshot?.Version ?? 0;
            var events = plan.Select((e, i) => e with { ProjectId = id, Version = expected + i + 1, Timestamp = DateTimeOffset.UnixEpoch.AddMinutes(expected + i + 1) }).ToArray();
            var snapshot = _snapshot ?? ProjectSnapshot.Create((ProjectCreated)events[0]);
            foreach (var e in _snapshot is null ? events.Skip(1) : events)
            {
                snapshot = snapshot.Apply(e);
            }

            await store.CommitAsync(new ProjectCommit(id, expected, events, snapshot), Ct);
            _snapshot = snapshot;
            if (publish)
            {
                feed.Publish(events);
            }

            return events;
        }
    }
}
