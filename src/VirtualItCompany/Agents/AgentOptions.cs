using Microsoft.Extensions.Options;

namespace VirtualItCompany.Agents;

/// <summary>Options of the built-in agents: monitoring window, time limits of builds and test runs, review size.</summary>
public sealed class AgentOptions
{
    /// <summary>The configuration section the options bind from.</summary>
    public const string SectionName = "VirtualItCompany:Agents";

    /// <summary>The most repairs <see cref="StructuredAnswerRepairs"/> allows.</summary>
    public const int MaxStructuredAnswerRepairs = 10;

    /// <summary>Gets or sets how many health checks of production the monitoring window makes.</summary>
    /// <value>The default value is 3.</value>
    public int MonitoringChecks { get; set; } = 3;

    /// <summary>Gets or sets the time between two health checks (monitoring, and waiting for a new deployment to answer).</summary>
    /// <value>The default value is 1 second.</value>
    public TimeSpan MonitoringInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets or sets how many times a new deployment is checked before it is declared unhealthy (it may still be starting).</summary>
    /// <value>The default value is 10.</value>
    public int DeploymentHealthChecks { get; set; } = 10;

    /// <summary>Gets or sets how long a test run may take before it is killed and counted as failed.</summary>
    /// <value>The default value is 5 minutes.</value>
    public TimeSpan TestTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Gets or sets how long building and starting a deployment may take.</summary>
    /// <value>The default value is 5 minutes.</value>
    public TimeSpan BuildTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Gets or sets the most characters of source code given to the code reviewer; further files are listed, not shown.</summary>
    /// <value>The default value is 200,000.</value>
    public int MaxReviewChars { get; set; } = 200_000;

    /// <summary>Gets or sets how many times a structured answer that cannot be used (no JSON, several JSON values, a missing or mistyped property) is shown back to the model with what is wrong, before the work item fails with the reason.</summary>
    /// <value>The default value is 2. 0 turns repairs off; at most 10.</value>
    /// <remarks>Each repair is a model call of its own: routed, budgeted and charged like the first.</remarks>
    public int StructuredAnswerRepairs { get; set; } = 2;

    /// <summary>Lists every problem of these options.</summary>
    /// <returns>The problems, each a sentence a user can act on; empty when the options are valid.</returns>
    public IReadOnlyList<string> GetProblems()
    {
        var problems = new List<string>();
        if (MonitoringChecks < 1)
        {
            problems.Add($"MonitoringChecks is {MonitoringChecks}; at least 1 health check is needed.");
        }

        if (DeploymentHealthChecks < 1)
        {
            problems.Add($"DeploymentHealthChecks is {DeploymentHealthChecks}; at least 1 health check is needed.");
        }

        CheckPositive(problems, nameof(MonitoringInterval), MonitoringInterval, allowZero: true);
        CheckPositive(problems, nameof(TestTimeout), TestTimeout, allowZero: false);
        CheckPositive(problems, nameof(BuildTimeout), BuildTimeout, allowZero: false);
        if (MaxReviewChars < 1_000)
        {
            problems.Add($"MaxReviewChars is {MaxReviewChars}; at least 1000 characters are needed to review anything.");
        }

        if (StructuredAnswerRepairs is < 0 or > MaxStructuredAnswerRepairs)
        {
            problems.Add($"StructuredAnswerRepairs is {StructuredAnswerRepairs}; it must be 0 (no repair) to {MaxStructuredAnswerRepairs}.");
        }

        return problems;
    }

    /// <summary>Throws when the options are not valid.</summary>
    /// <exception cref="OptionsValidationException">The options have one or more problems; all are listed.</exception>
    public void Validate()
    {
        var problems = GetProblems();
        if (problems.Count > 0)
        {
            throw new OptionsValidationException(nameof(AgentOptions), typeof(AgentOptions), problems);
        }
    }

    private static void CheckPositive(List<string> problems, string name, TimeSpan value, bool allowZero)
    {
        if (value < TimeSpan.Zero || (!allowZero && value == TimeSpan.Zero))
        {
            problems.Add($"{name} is {value}; it must be {(allowZero ? "zero or more" : "more than zero")}.");
        }
    }
}
