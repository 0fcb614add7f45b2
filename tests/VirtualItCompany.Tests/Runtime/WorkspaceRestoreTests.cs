using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using VirtualItCompany.Runtime;
using VirtualItCompany.Storage;

namespace VirtualItCompany.Tests.Runtime;

/// <summary>A project continued on a machine without its workspace gets the workspace rebuilt from the artifact store.</summary>
public sealed class WorkspaceRestoreTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Another_machine_restores_the_saved_files_before_its_first_item_of_the_project()
    {
        var store = new InMemoryCompanyStore(TimeProvider.System);
        var artifacts = new InMemoryArtifactStore(TimeProvider.System);
        var manager = new ScriptedAgent(AgentRole.ProjectManager, async (context, n, ct) =>
        {
            if (context.WorkItem.Stage == LifecycleStage.RequirementsAnalysis)
            {
                await context.Workspace.WriteFileAsync("docs/requirements.md", "# Requirements\n- lists todos\n", ct);
                return AgentOutcome.Completed("requirements", LifecycleTrigger.RequirementsClear);
            }

            Assert.Equal("# Requirements\n- lists todos\n", await context.Workspace.ReadFileAsync("docs/requirements.md", ct));
            return AgentOutcome.Completed("plan", LifecycleTrigger.PlanReady);
        });
        void Shared(IVirtualItCompanyBuilder b)
        {
            b.Services.AddSingleton(store);
            b.Services.AddSingleton<IArtifactStore>(artifacts);
            b.AddAgent(manager);
        }

        await using var first = new TestCompany(Shared, startWorkers: false);
        await using var second = new TestCompany(Shared, startWorkers: false);
        var project = await first.Company.SubmitAsync(TestCompany.Brief(), Ct);
        await RunNextAsync(first);
        Assert.Equal(LifecycleStage.ProjectPlanning, (await first.Company.GetAsync(project.Id, Ct)).Stage);

        await RunNextAsync(second);

        var restored = second.Workspaces.Get(project.Id);
        Assert.Contains("docs/requirements.md", await restored.ListFilesAsync("", Ct));
        Assert.Contains(restored.Commits, c => c.StartsWith("Restored 1 file(s) from the artifact store", StringComparison.Ordinal));
        Assert.Equal(LifecycleStage.SetupDevelopment, (await second.Company.GetAsync(project.Id, Ct)).Stage);
    }

    private static async Task RunNextAsync(TestCompany company)
    {
        var lease = await company.Services.GetRequiredService<IWorkQueue>().TryLeaseAsync(
            new LeaseRequest("worker", company.Services.GetRequiredService<IOptions<CompanyOptions>>().Value.LeaseDuration), Ct);
        Assert.NotNull(lease);
        await company.Services.GetRequiredService<WorkOrchestrator>().ProcessAsync(lease, Ct);
    }
}
