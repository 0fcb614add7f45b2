using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace VirtualItCompany.Tests.Events;

public sealed class ProjectEventSerializerTests
{
    private static readonly ProjectId Id = new("prj_test");
    private static readonly WorkItem Item = WorkItem.Create(Id, AgentRole.Developer, LifecycleStage.FeatureDevelopment, 2, DateTimeOffset.UnixEpoch, "search");

    public static TheoryData<ProjectEvent> AllEvents() =>
    [
        new ProjectCreated(new ProjectBrief { Title = "T", Description = "D", AcceptanceCriteria = ["a"], Budget = 3m, Client = "C" }, LifecycleStage.RequirementsAnalysis),
        new StageChanged(LifecycleStage.CodeReview, LifecycleTrigger.ChangesNeeded, LifecycleStage.FeatureDevelopment),
        new WorkItemScheduled(Item),
        new WorkItemCompleted(Item.Id, Item.Role, Item.Stage, "done", TimeSpan.FromSeconds(3)),
        new WorkItemFailed(Item.Id, Item.Role, Item.Stage, "boom", 1, true),
        new WorkItemParked(Item, "paused"),
        new ModelCallCompleted(Item.Id, Item.Role, Item.Stage, "openai", "gpt-4o-mini", 120, 30, 0.000123m, TimeSpan.FromMilliseconds(420)),
        new RequirementsCaptured("summary", ["a", "b"]),
        new PlanCreated([new PlannedFeature("search", "Finds things.")]),
        new DesignNotesWritten("docs/design.md", "notes"),
        new FilesChanged(["a.cs"], "abc123"),
        new CodeReviewed(false, ["fix it"]),
        new TestsRun(["dotnet", "test"], 1, 3, 1, "3 passed, 1 failed"),
        new Deployed("staging", new Uri("http://127.0.0.1:5000/")),
        new HealthChecked("staging", new Uri("http://127.0.0.1:5000/health"), true, 200),
        new ClientInputRequested(ClientInputKind.Escalation, "go on?", LifecycleTrigger.ChangesNeeded),
        new ClientAnswered("yes"),
        new ClientApproved(null),
        new ClientRequestedChanges("bigger"),
        new ProjectPaused("holiday"),
        new ProjectResumed(),
        new ProjectCancelled("no"),
        new ProjectCompleted(),
        new BudgetIncreased(5m, 15m),
        new ModelCallCompleted("wi", AgentRole.Tester, LifecycleStage.Testing, "anthropic", "claude-haiku", 10, 5, 0.01m, TimeSpan.FromSeconds(1), new RoutingDecision("anthropic/claude-haiku", 3, true, "cheapest qualifying", 0.02m, [new RoutingCandidate("ollama/mistral", 0m, "no tool calling"), new RoutingCandidate("anthropic/claude-haiku", 0.02m, null)]) { FailedOver = ["ollama/mistral"] }),
    ];

    [Fact]
    public void Every_declared_event_type_is_covered_by_the_round_trip_test()
    {
        var declared = typeof(ProjectEvent).GetCustomAttributes<JsonDerivedTypeAttribute>().Select(a => a.DerivedType).ToHashSet();
        var covered = AllEvents().Select(row => row.Data.GetType()).ToHashSet();
        covered.IntersectWith(declared);

        Assert.Equal(declared.OrderBy(t => t.Name), covered.OrderBy(t => t.Name));
    }

    [Theory]
    [MemberData(nameof(AllEvents))]
    public void Event_round_trips_through_json_with_its_type_discriminator(ProjectEvent original)
    {
        var stamped = original with { ProjectId = Id, Version = 7, Timestamp = new DateTimeOffset(2026, 11, 25, 9, 30, 0, TimeSpan.Zero) };

        string json = ProjectEventSerializer.Serialize(stamped);
        var back = ProjectEventSerializer.Deserialize(json);

        Assert.IsType(original.GetType(), back);
        Assert.StartsWith("{\"$type\":", json, StringComparison.Ordinal);
        Assert.Equal(json, ProjectEventSerializer.Serialize(back));
        Assert.Equal(7, back.Version);
        Assert.Equal(Id, back.ProjectId);
    }

    [Fact]
    public void Unknown_event_type_is_a_json_exception()
    {
        Assert.Throws<JsonException>(() => ProjectEventSerializer.Deserialize("{\"$type\":\"somethingNew\",\"version\":1}"));
    }
}
