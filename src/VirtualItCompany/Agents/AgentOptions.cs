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

    /// <summary>The most model round trips <see cref="MaxToolRounds"/> allows.</summary>
    public const int MaxToolRoundsLimit = 200;

    /// <summary>Gets or sets the most model round trips of one tool-using conversation (the model asks for tools, gets their results, asks again); a model still calling tools then stops the work item with a failed outcome.</summary>
    /// <value>The default value is 30; from 1 to 200.</value>
    /// <remarks>The company's chat pipeline gives this to Microsoft.Extensions.AI's function invocation (<c>MaximumIterationsPerRequest</c>).</remarks>
    public int MaxToolRounds { get; set; } = 30;

    /// <summary>Gets or sets how many times a model may make the same tool call (same tool, same arguments) and get the same result before the conversation is stopped with a failed outcome naming the tool.</summary>
    /// <value>The default value is 3; from 2 to 20.</value>
    /// <remarks>A call whose result changed (a test run after a fix) is not a repeat; failed calls are bounded by <see cref="ToolCallRepairs"/>.</remarks>
    public int MaxRepeatedToolCalls { get; set; } = 3;

    /// <summary>Gets or sets how many rounds in a row the model's tool calls may fail (wrong argument types, malformed arguments, a refused path or command) and be shown the error, before the work item fails with the last error.</summary>
    /// <value>The default value is 3; from 0 to 10.</value>
    /// <remarks>The company's chat pipeline gives this to Microsoft.Extensions.AI's function invocation (<c>MaximumConsecutiveErrorsPerRequest</c>). A call to a tool that does not exist is answered with the tools that do, and counts the same way.</remarks>
    public int ToolCallRepairs { get; set; } = 3;

    /// <summary>Gets or sets how many times the developer may run a command (build, tests) to check and fix what it wrote before handing over; 0 gives the developer no command tool.</summary>
    /// <value>The default value is 3; at most 10.</value>
    public int DeveloperCommandRuns { get; set; } = 3;

    /// <summary>Gets the system prompts that replace the built-in agents' own, keyed by <see cref="AgentPromptKeys"/> (case-insensitive), such as <c>Developer</c> or <c>Tester.WriteTests</c>.</summary>
    /// <value>The default is empty: every agent uses its built-in prompt.</value>
    /// <remarks>Binds from configuration (<c>VirtualItCompany:Agents:SystemPrompts:Developer</c>). Tools and answer schemas are given to the model separately, so a replaced prompt need not describe them.</remarks>
    public IDictionary<string, string> SystemPrompts { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

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

        if (MaxToolRounds is < 1 or > MaxToolRoundsLimit)
        {
            problems.Add($"MaxToolRounds is {MaxToolRounds}; it must be 1 to {MaxToolRoundsLimit}.");
        }

        if (MaxRepeatedToolCalls is < 2 or > 20)
        {
            problems.Add($"MaxRepeatedToolCalls is {MaxRepeatedToolCalls}; it must be 2 to 20.");
        }

        if (ToolCallRepairs is < 0 or > 10)
        {
            problems.Add($"ToolCallRepairs is {ToolCallRepairs}; it must be 0 (no repair) to 10.");
        }

        if (DeveloperCommandRuns is < 0 or > 10)
        {
            problems.Add($"DeveloperCommandRuns is {DeveloperCommandRuns}; it must be 0 (no command tool) to 10.");
        }

        foreach (var (key, prompt) in SystemPrompts)
        {
            if (!AgentPromptKeys.All.Contains(key, StringComparer.OrdinalIgnoreCase))
            {
                problems.Add($"SystemPrompts has the key \"{key}\", which no built-in agent uses; the keys are {string.Join(", ", AgentPromptKeys.All)}.");
            }
            else if (string.IsNullOrWhiteSpace(prompt))
            {
                problems.Add($"SystemPrompts[\"{key}\"] is empty; remove it to use the built-in prompt.");
            }
        }

        return problems;
    }

    /// <summary>Gets the system prompt for a key: the team's own when <see cref="SystemPrompts"/> has one, else the built-in one.</summary>
    internal string SystemPrompt(string key, string builtIn) =>
        SystemPrompts.TryGetValue(key, out var prompt) && !string.IsNullOrWhiteSpace(prompt) ? prompt : builtIn;

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
