using System.Text.Json;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace VirtualItCompany.Benchmarks;

/// <summary>A typical event to and from JSON through <see cref="ProjectEventSerializer"/> (polymorphic, with its <c>$type</c>), against the same event as its concrete type.</summary>
[MemoryDiagnoser]
[ShortRunJob]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class ProjectEventSerializerBenchmark
{
    private WorkItemCompleted _completed = null!;
    private WorkItemScheduled _scheduled = null!;
    private string _completedJson = string.Empty;
    private string _completedConcreteJson = string.Empty;
    private string _scheduledJson = string.Empty;

    [GlobalSetup]
    public void Setup()
    {
        var projectId = ProjectId.New();
        var now = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
        var item = WorkItem.Create(projectId, AgentRole.Developer, LifecycleStage.FeatureDevelopment, 1, now, "feature-1");
        _completed = new WorkItemCompleted(item.Id, item.Role, item.Stage, "done", TimeSpan.FromMilliseconds(12)) { ProjectId = projectId, Version = 17, Timestamp = now };
        _scheduled = new WorkItemScheduled(item) { ProjectId = projectId, Version = 18, Timestamp = now };
        _completedJson = ProjectEventSerializer.Serialize(_completed);
        _completedConcreteJson = JsonSerializer.Serialize(_completed, ProjectEventSerializer.Options);
        _scheduledJson = ProjectEventSerializer.Serialize(_scheduled);
    }

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Serialize")]
    public string SerializeConcreteType() => JsonSerializer.Serialize(_completed, ProjectEventSerializer.Options);

    [Benchmark]
    [BenchmarkCategory("Serialize")]
    public string SerializeWorkItemCompleted() => ProjectEventSerializer.Serialize(_completed);

    [Benchmark]
    [BenchmarkCategory("Serialize")]
    public string SerializeWorkItemScheduled() => ProjectEventSerializer.Serialize(_scheduled);

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Deserialize")]
    public WorkItemCompleted? DeserializeConcreteType() => JsonSerializer.Deserialize<WorkItemCompleted>(_completedConcreteJson, ProjectEventSerializer.Options);

    [Benchmark]
    [BenchmarkCategory("Deserialize")]
    public ProjectEvent DeserializeWorkItemCompleted() => ProjectEventSerializer.Deserialize(_completedJson);

    [Benchmark]
    [BenchmarkCategory("Deserialize")]
    public ProjectEvent DeserializeWorkItemScheduled() => ProjectEventSerializer.Deserialize(_scheduledJson);
}
