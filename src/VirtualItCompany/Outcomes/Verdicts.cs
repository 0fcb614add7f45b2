namespace VirtualItCompany.Outcomes;

/// <summary>Whether the work a verdict judged for one role and stage was done at the stage's normal band, a band up by outcome feedback, or both.</summary>
internal enum BandState
{
    Normal = 0,
    Raised = 1,
    Mixed = 2,
}

/// <summary>One verdict on one model's work for a role and stage; counted in the rates.</summary>
internal readonly record struct ModelVerdict(string Model, AgentRole Role, LifecycleStage Stage, bool Accepted);

/// <summary>One verdict on a role's work in a stage, with the band the work was done at; what the outcome-feedback policy folds, in commit order.</summary>
internal readonly record struct StageVerdict(DateTimeOffset At, string Project, long Version, AgentRole Role, LifecycleStage Stage, bool Accepted, BandState Band) : IComparable<StageVerdict>
{
    public int CompareTo(StageVerdict other)
    {
        int c = At.CompareTo(other.At);
        if (c == 0)
        {
            c = string.CompareOrdinal(Project, other.Project);
        }

        return c != 0 ? c : Version.CompareTo(other.Version);
    }
}
