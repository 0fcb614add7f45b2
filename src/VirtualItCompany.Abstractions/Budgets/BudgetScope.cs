using System.Diagnostics.CodeAnalysis;

namespace VirtualItCompany;

/// <summary>Which budget a figure or a refusal is about: the company-wide budget, or one project's.</summary>
public readonly record struct BudgetScope
{
    private const string ProjectPrefix = "project:";

    private BudgetScope(string value, ProjectId? projectId)
    {
        Value = value;
        ProjectId = projectId;
    }

    /// <summary>Gets the company-wide budget, charged by every call of every project and worker.</summary>
    public static BudgetScope Company { get; } = new("company", null);

    /// <summary>Gets the scope's name: <c>company</c> or <c>project:&lt;id&gt;</c>.</summary>
    public string Value { get => field ?? "company"; }

    /// <summary>Gets the project, for a project's budget; <see langword="null"/> for the company's.</summary>
    public ProjectId? ProjectId { get; }

    /// <summary>Gets whether this is the company-wide budget.</summary>
    public bool IsCompany => ProjectId is null;

    /// <summary>Gets the budget of a project.</summary>
    /// <param name="projectId">The project.</param>
    /// <returns>The scope.</returns>
    /// <exception cref="ArgumentException"><paramref name="projectId"/> is empty.</exception>
    public static BudgetScope ForProject(ProjectId projectId)
    {
        if (projectId.Value.Length == 0)
        {
            throw new ArgumentException("The project id is empty.", nameof(projectId));
        }

        return new(ProjectPrefix + projectId.Value, projectId);
    }

    /// <summary>Reads a scope from its name.</summary>
    /// <param name="value">The name, as <see cref="Value"/> gives it.</param>
    /// <param name="scope">The scope.</param>
    /// <returns>Whether <paramref name="value"/> names a scope.</returns>
    public static bool TryParse([NotNullWhen(true)] string? value, out BudgetScope scope)
    {
        if (value == "company")
        {
            scope = Company;
            return true;
        }

        if (value is not null && value.StartsWith(ProjectPrefix, StringComparison.Ordinal) && VirtualItCompany.ProjectId.TryParse(value[ProjectPrefix.Length..], out var id))
        {
            scope = ForProject(id);
            return true;
        }

        scope = default;
        return false;
    }

    /// <inheritdoc />
    public override string ToString() => Value;
}
