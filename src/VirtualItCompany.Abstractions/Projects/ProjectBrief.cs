namespace VirtualItCompany;

/// <summary>What the client asks for: the input of a project.</summary>
/// <remarks>Call <see cref="Validate"/> (the company does on submit) to learn every problem at once.</remarks>
public sealed record ProjectBrief
{
    /// <summary>The longest title accepted.</summary>
    public const int MaxTitleLength = 200;

    /// <summary>The longest description accepted.</summary>
    public const int MaxDescriptionLength = 20_000;

    /// <summary>The most acceptance criteria accepted.</summary>
    public const int MaxAcceptanceCriteria = 50;

    /// <summary>The longest acceptance criterion accepted.</summary>
    public const int MaxCriterionLength = 1_000;

    /// <summary>Gets the short name of the project.</summary>
    public required string Title { get; init; }

    /// <summary>Gets what the client wants, in the client's words.</summary>
    public required string Description { get; init; }

    /// <summary>Gets the conditions the delivered project must meet; may be empty, in which case the team asks.</summary>
    public IReadOnlyList<string> AcceptanceCriteria { get; init; } = [];

    /// <summary>Gets the most the client will spend on model calls, in US dollars; zero means only free models; <see langword="null"/> takes the company's default budget on submit.</summary>
    public decimal? Budget { get; init; }

    /// <summary>Gets who the project is for.</summary>
    public string Client { get; init; } = "client";

    /// <summary>Lists every problem of this brief.</summary>
    /// <returns>The problems, each a sentence a user can act on; empty when the brief is valid.</returns>
    public IReadOnlyList<string> GetProblems()
    {
        var problems = new List<string>();
        CheckText(problems, nameof(Title), Title, MaxTitleLength);
        CheckText(problems, nameof(Description), Description, MaxDescriptionLength);
        CheckText(problems, nameof(Client), Client, MaxTitleLength);
        if (AcceptanceCriteria is null)
        {
            problems.Add("AcceptanceCriteria must not be null; use an empty list when there are none.");
        }
        else
        {
            if (AcceptanceCriteria.Count > MaxAcceptanceCriteria)
            {
                problems.Add($"AcceptanceCriteria has {AcceptanceCriteria.Count} entries; at most {MaxAcceptanceCriteria} are accepted.");
            }

            for (int i = 0; i < AcceptanceCriteria.Count; i++)
            {
                CheckText(problems, $"AcceptanceCriteria[{i}]", AcceptanceCriteria[i], MaxCriterionLength);
            }
        }

        if (Budget < 0)
        {
            problems.Add($"Budget is {Budget}; it must be zero (free models only) or more.");
        }
        else if (Budget > BudgetLimits.MaxAmount)
        {
            problems.Add($"Budget is {Budget}; at most {BudgetLimits.MaxAmount:0} (BudgetLimits.MaxAmount) is accepted.");
        }

        return problems;
    }

    /// <summary>Throws when the brief is not valid.</summary>
    /// <exception cref="InvalidBriefException">The brief has one or more problems; all are listed.</exception>
    public void Validate()
    {
        var problems = GetProblems();
        if (problems.Count > 0)
        {
            throw new InvalidBriefException(problems);
        }
    }

    private static void CheckText(List<string> problems, string name, string? value, int max)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            problems.Add($"{name} is empty; give a short text.");
        }
        else if (value.Length > max)
        {
            problems.Add($"{name} is {value.Length} characters long; at most {max} are accepted.");
        }
    }
}
