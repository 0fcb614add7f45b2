using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using VirtualItCompany.Agents;

namespace VirtualItCompany.Providers.Offline.Tests;

/// <summary>Runs the built-in agents as the runtime would: a context per work item, the offline model behind function invocation.</summary>
internal static class AgentRun
{
    public static IOptions<AgentOptions> Options(Action<AgentOptions>? configure = null)
    {
        var options = new AgentOptions { MonitoringInterval = TimeSpan.FromMilliseconds(50) };
        configure?.Invoke(options);
        return Microsoft.Extensions.Options.Options.Create(options);
    }

    public static IChatClient OfflineWithTools() =>
        new ChatClientBuilder(OfflineModel.CreateChatClient()).UseFunctionInvocation().Build();

    public static ProjectSnapshot NewProject(ProjectBrief brief) =>
        ProjectSnapshot.Create(new ProjectCreated(brief, LifecycleStage.RequirementsAnalysis) { ProjectId = ProjectId.New() });

    public static Task<AgentOutcome> ExecuteAsync(IAgent agent, ProjectSnapshot project, LifecycleStage stage, IProjectWorkspace workspace, string? subject = null, IChatClient? chatClient = null) =>
        agent.ExecuteAsync(
            new AgentContext
            {
                WorkItem = WorkItem.Create(project.Id, agent.Role, stage, 1, DateTimeOffset.UnixEpoch, subject),
                Project = project,
                ChatClient = chatClient ?? OfflineWithTools(),
                Workspace = workspace,
                TimeProvider = TimeProvider.System,
                Logger = NullLogger.Instance,
                Services = EmptyServices.Instance,
            },
            TestContext.Current.CancellationToken);

    /// <summary>Folds an outcome's events into the project, as the runtime does on commit.</summary>
    public static ProjectSnapshot Apply(ProjectSnapshot project, AgentOutcome outcome) =>
        outcome.Events.Aggregate(project, (p, e) => p.Apply(e));

    private sealed class EmptyServices : IServiceProvider
    {
        public static readonly EmptyServices Instance = new();

        public object? GetService(Type serviceType) => null;
    }
}
