namespace VirtualItCompany.Routing;

/// <summary>
/// The opt-in outcome-feedback policy: a role's calls in a stage move up one band when the work its cheaper models did there
/// keeps being sent back (code review, tests, client review), and back down when the stronger models' work keeps passing.
/// Bound from <c>VirtualItCompany:Routing:OutcomeFeedback</c>.
/// </summary>
/// <remarks>
/// The policy reads the verdicts in commit order. A stage not moved up moves up when, among the last <see cref="Window"/>
/// verdicts on work done at its normal band, at least <see cref="MinVerdicts"/> were counted and at least
/// <see cref="RaiseAtSentBackRate"/> of them sent the work back. A stage moved up moves back down after
/// <see cref="LowerAfterAcceptances"/> verdicts in a row accepted the work done at the higher band; the count doubles each
/// time the stage moves up again (up to 16 times), and moving down clears the window, so it takes
/// <see cref="MinVerdicts"/> new verdicts to move it up again (hysteresis). The budget rules come first: a call near its
/// budget's tier-down threshold, or whose higher band has no model within budget, is not moved.
/// </remarks>
public sealed class OutcomeFeedbackOptions
{
    /// <summary>Gets or sets whether the policy moves calls; the statistics are shown in routing decisions either way.</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool Enabled { get; set; }

    /// <summary>Gets or sets the fewest verdicts on a stage's normal-band work before it may move up.</summary>
    /// <value>The default value is 3.</value>
    public int MinVerdicts { get; set; } = 3;

    /// <summary>Gets or sets how many of the latest verdicts on a stage's normal-band work the sent-back rate is computed over.</summary>
    /// <value>The default value is 10.</value>
    public int Window { get; set; } = 10;

    /// <summary>Gets or sets the share of those verdicts that sent the work back (more than 0, at most 1) at which the stage moves up.</summary>
    /// <value>The default value is 0.6.</value>
    public double RaiseAtSentBackRate { get; set; } = 0.6;

    /// <summary>Gets or sets how many verdicts in a row must accept the work done at the higher band before the stage moves back down.</summary>
    /// <value>The default value is 5.</value>
    public int LowerAfterAcceptances { get; set; } = 5;

    /// <summary>Gets or sets how long, at most, verdicts committed by other processes take to reach this process's statistics (verdicts committed here, and a call's own project, are read at once).</summary>
    /// <value>The default value is 30 seconds.</value>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Lists every problem of these options.</summary>
    /// <returns>The problems, as sentences; empty when valid.</returns>
    public IReadOnlyList<string> GetProblems()
    {
        var problems = new List<string>();
        if (MinVerdicts < 1)
        {
            problems.Add($"OutcomeFeedback.MinVerdicts is {MinVerdicts}; it must be 1 or more.");
        }

        if (Window < 1 || Window > 1_000)
        {
            problems.Add($"OutcomeFeedback.Window is {Window}; it must be between 1 and 1000.");
        }
        else if (MinVerdicts > Window)
        {
            problems.Add($"OutcomeFeedback.MinVerdicts ({MinVerdicts}) is more than OutcomeFeedback.Window ({Window}); the window must hold that many verdicts.");
        }

        if (double.IsNaN(RaiseAtSentBackRate) || RaiseAtSentBackRate is <= 0 or > 1)
        {
            problems.Add($"OutcomeFeedback.RaiseAtSentBackRate is {RaiseAtSentBackRate}; it must be more than 0 and at most 1.");
        }

        if (LowerAfterAcceptances < 1)
        {
            problems.Add($"OutcomeFeedback.LowerAfterAcceptances is {LowerAfterAcceptances}; it must be 1 or more.");
        }

        if (RefreshInterval <= TimeSpan.Zero || RefreshInterval > TimeSpan.FromHours(1))
        {
            problems.Add($"OutcomeFeedback.RefreshInterval is {RefreshInterval}; it must be more than zero and at most one hour.");
        }

        return problems;
    }
}
