using Microsoft.Extensions.Options;

namespace VirtualItCompany.Agents;

/// <summary>DevOps: scaffolds the repository, deploys to staging and production, and watches production for a monitoring window.</summary>
public sealed class DevOpsAgent : BuiltInAgent
{
    /// <summary>The staging environment's name.</summary>
    public const string Staging = "staging";

    /// <summary>The production environment's name.</summary>
    public const string Production = "production";

    /// <summary>Creates the agent.</summary>
    /// <param name="options">The agents' options: the monitoring window and the build time limit.</param>
    public DevOpsAgent(IOptions<AgentOptions> options)
        : base(options, AgentRole.DevOps, LifecycleStage.SetupDevelopment, LifecycleStage.StagingDeployment, LifecycleStage.ProductionDeployment, LifecycleStage.Monitoring)
    {
    }

    /// <inheritdoc />
    protected override Task<AgentOutcome> ExecuteStageAsync(AgentContext context, CancellationToken cancellationToken)
    {
        var stage = context.WorkItem.Stage;
        return stage == LifecycleStage.SetupDevelopment ? ScaffoldAsync(context, cancellationToken)
            : stage == LifecycleStage.StagingDeployment ? DeployAsync(context, Staging, LifecycleTrigger.StagingDeployed, cancellationToken)
            : stage == LifecycleStage.ProductionDeployment ? DeployAsync(context, Production, LifecycleTrigger.ProductionDeployed, cancellationToken)
            : MonitorAsync(context, cancellationToken);
    }

    private async Task<AgentOutcome> ScaffoldAsync(AgentContext context, CancellationToken cancellationToken)
    {
        var project = context.Project;
        var existing = await context.Workspace.ListFilesAsync("", cancellationToken).ConfigureAwait(false);
        string prompt = new PromptDocument(DevOpsPrompts.SetupTask)
            .Brief(project.Brief)
            .Section("Requirements", project.Requirements)
            .Features(project.Features)
            .List("Existing files", existing)
            .ToString();
        var (written, result) = await ModelCalls.WorkWithFilesAsync(
            context, Options, Options.SystemPrompt(AgentPromptKeys.DevOpsSetup, DevOpsPrompts.SetupSystem), prompt, complexity: 4, requireFiles: true, moreTools: null, cancellationToken).ConfigureAwait(false);
        return result.Failure is { } failure
            ? AgentStages.InvalidAnswer("The repository was not scaffolded", failure)
            : AgentOutcome.Completed($"Scaffolded the repository: {written.Count} file(s) written.", LifecycleTrigger.SetupComplete);
    }

    private async Task<AgentOutcome> DeployAsync(AgentContext context, string environment, LifecycleTrigger trigger, CancellationToken cancellationToken)
    {
        var project = context.Project;
        var files = await context.Workspace.ListFilesAsync("", cancellationToken).ConfigureAwait(false);
        string prompt = new PromptDocument(DevOpsPrompts.DeploymentTask)
            .Section("Brief title", PromptDocument.OneLine(project.Brief.Title))
            .Section("Environment", environment)
            .List("Files", files)
            .ToString();
        var answer = await ModelCalls.AskAsync<DeploymentPlan>(context, Options.SystemPrompt(AgentPromptKeys.DevOpsDeployment, DevOpsPrompts.DeploymentSystem), prompt, complexity: 3, Options.StructuredAnswerRepairs, cancellationToken).ConfigureAwait(false);
        if (answer.Value is not { } plan)
        {
            return AgentStages.InvalidAnswer("The deployment plan could not be read", answer.Problem!);
        }

        var build = (plan.BuildCommand ?? []).ToList();
        var start = (plan.StartCommand ?? []).ToList();
        string? problem = start.Count == 0 ? "the start command is empty"
            : build.Concat(start).Any(string.IsNullOrWhiteSpace) ? "a command has an empty argument"
            : plan.HealthPath is not ['/', ..] ? $"the health path \"{plan.HealthPath}\" does not start with '/'"
            : null;
        if (problem is not null)
        {
            return AgentStages.InvalidAnswer("The deployment plan is not usable", problem);
        }

        Uri url;
        using (var timeout = new CancellationTokenSource(Options.BuildTimeout, context.TimeProvider))
        using (var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token))
        {
            try
            {
                url = await context.Workspace.DeployAsync(environment, new DeploymentSpec(build, start, plan.HealthPath) { ReleaseId = context.WorkItem.Id }, linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                return AgentOutcome.Failed($"Deploying to {environment} took longer than {Options.BuildTimeout}.", retryable: true);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                return AgentOutcome.Failed($"Deploying to {environment} failed: {ex.Message}", retryable: true);
            }
        }

        var health = await WaitUntilHealthyAsync(context, environment, cancellationToken).ConfigureAwait(false);
        if (!health.Healthy)
        {
            return AgentOutcome.Failed(
                $"The {environment} deployment at {url} is not healthy: {DescribeStatus(health)} on {plan.HealthPath}.",
                retryable: true,
                [health]);
        }

        if (environment == Production)
        {
            // Production replaces staging: the client has approved it.
            await context.Workspace.StopAsync(Staging, cancellationToken).ConfigureAwait(false);
        }

        return AgentOutcome.Completed($"Deployed to {environment} at {url}; it is healthy.", trigger, [new Deployed(environment, url), health]);
    }

    private async Task<HealthChecked> WaitUntilHealthyAsync(AgentContext context, string environment, CancellationToken cancellationToken)
    {
        for (int check = 1; ; check++)
        {
            var health = await context.Workspace.CheckHealthAsync(environment, cancellationToken).ConfigureAwait(false);
            if (health.Healthy || check >= Options.DeploymentHealthChecks)
            {
                return health;
            }

            await Task.Delay(Options.MonitoringInterval, context.TimeProvider, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<AgentOutcome> MonitorAsync(AgentContext context, CancellationToken cancellationToken)
    {
        var checks = new List<HealthChecked>();
        for (int check = 0; check < Options.MonitoringChecks; check++)
        {
            if (check > 0)
            {
                await Task.Delay(Options.MonitoringInterval, context.TimeProvider, cancellationToken).ConfigureAwait(false);
            }

            checks.Add(await CheckProductionAsync(context, cancellationToken).ConfigureAwait(false));
        }

        var unhealthy = checks.Where(c => !c.Healthy).ToList();
        return unhealthy.Count == 0
            ? AgentOutcome.Completed($"Production was healthy in all {checks.Count} checks of the monitoring window.", LifecycleTrigger.ProjectComplete, checks)
            : AgentOutcome.Completed(
                $"Production was unhealthy in {unhealthy.Count} of {checks.Count} checks ({string.Join(", ", unhealthy.Select(DescribeStatus))}).",
                LifecycleTrigger.IssuesFound,
                checks);
    }

    private static async Task<HealthChecked> CheckProductionAsync(AgentContext context, CancellationToken cancellationToken)
    {
        try
        {
            return await context.Workspace.CheckHealthAsync(Production, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidOperationException)
        {
            // Production is not running here (e.g. the process that deployed it stopped): an issue for the team to fix, not a crash.
            var url = context.Project.Deployments.GetValueOrDefault(Production) ?? new Uri("http://127.0.0.1/");
            return new HealthChecked(Production, url, Healthy: false, StatusCode: null);
        }
    }

    private static string DescribeStatus(HealthChecked health) =>
        health.StatusCode is { } code ? $"status {code}" : "no answer";
}
