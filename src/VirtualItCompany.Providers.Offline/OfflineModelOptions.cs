namespace VirtualItCompany.Providers.Offline;

/// <summary>Options of the offline model.</summary>
public sealed class OfflineModelOptions
{
    /// <summary>Gets or sets the most features the offline model plans, one per acceptance criterion.</summary>
    /// <value>The default value is 6.</value>
    public int MaxFeatures { get; set; } = 6;

    /// <summary>Gets or sets how long each answer takes, to make progress visible in demos.</summary>
    /// <value>The default value is <see cref="TimeSpan.Zero"/>.</value>
    public TimeSpan ResponseDelay { get; set; } = TimeSpan.Zero;

    /// <summary>Gets or sets the clock used for <see cref="ResponseDelay"/>.</summary>
    /// <value>The default value is <see cref="TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Lists every problem of these options.</summary>
    /// <returns>The problems, each a sentence a user can act on; empty when the options are valid.</returns>
    public IReadOnlyList<string> GetProblems()
    {
        var problems = new List<string>();
        if (MaxFeatures is < 1 or > 20)
        {
            problems.Add($"MaxFeatures is {MaxFeatures}; it must be from 1 to 20.");
        }

        if (ResponseDelay < TimeSpan.Zero || ResponseDelay > TimeSpan.FromMinutes(1))
        {
            problems.Add($"ResponseDelay is {ResponseDelay}; it must be from zero to one minute.");
        }

        if (TimeProvider is null)
        {
            problems.Add("TimeProvider is null; use TimeProvider.System.");
        }

        return problems;
    }

    /// <summary>Throws when the options are not valid.</summary>
    /// <exception cref="ArgumentException">The options have one or more problems; all are listed.</exception>
    public void Validate()
    {
        var problems = GetProblems();
        if (problems.Count > 0)
        {
            throw new ArgumentException("The offline model options are not valid: " + string.Join(" ", problems));
        }
    }
}
