namespace VirtualItCompany.Lifecycle;

/// <summary>How a stage's work is split: each of its roles gets one work item per subject the fan-out finds in the project.</summary>
/// <remarks>
/// Subjects are read from the project as it will be once the commit that enters the stage is applied (so a plan made
/// by the work that moves the project on counts). With no subject, each role gets one item without a subject. Once
/// every item of the stage's round is done (fan-in), the last one moves the project on.
/// </remarks>
public sealed class StageFanOut
{
    private readonly Func<ProjectSnapshot, IReadOnlyList<string>> _subjects;

    /// <summary>Creates a fan-out.</summary>
    /// <param name="name">A name for displays and diagrams, such as <c>per planned feature</c>.</param>
    /// <param name="subjects">Finds the subjects in a project; each becomes one work item's <see cref="WorkItem.Subject"/>.</param>
    public StageFanOut(string name, Func<ProjectSnapshot, IReadOnlyList<string>> subjects)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(subjects);
        Name = name;
        _subjects = subjects;
    }

    /// <summary>Gets the fan-out over the planned features (<see cref="ProjectSnapshot.Features"/>), as developers work in feature development.</summary>
    public static StageFanOut PerPlannedFeature { get; } = new("per planned feature", static project => project.Features.Select(f => f.Name).ToArray());

    /// <summary>Gets the fan-out's name.</summary>
    public string Name { get; }

    /// <summary>Finds the subjects in a project.</summary>
    /// <param name="project">The project.</param>
    /// <returns>The subjects, one work item each per role; empty for one item per role without a subject.</returns>
    public IReadOnlyList<string> GetSubjects(ProjectSnapshot project)
    {
        ArgumentNullException.ThrowIfNull(project);
        return _subjects(project) ?? [];
    }

    /// <inheritdoc />
    public override string ToString() => Name;
}
