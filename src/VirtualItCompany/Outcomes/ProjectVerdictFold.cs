namespace VirtualItCompany.Outcomes;

/// <summary>
/// Folds one project's events, in order, into verdicts: each verdict is attributed to the models whose answered calls did the
/// judged stages' work as it stands (the stage's latest round: work sent back and done again is judged once, when sent back)
/// and not yet judged by a verdict given in the same stage; one count per model, role and stage per verdict.
/// Deterministic: the same events give the same verdicts in every process.
/// </summary>
internal sealed class ProjectVerdictFold
{
    private readonly List<Work> _work = [];
    // Per verdict stage and judged stage: the last work a verdict given there counted (a send-back judges one stage only).
    private readonly Dictionary<(LifecycleStage By, LifecycleStage Judged), long> _cursors = [];
    private readonly Dictionary<LifecycleStage, int> _rounds = [];
    private LifecycleStage _stage;
    private long _sequence;

    /// <summary>The version of the last event folded.</summary>
    public long Version { get; private set; }

    public void Apply(ProjectEvent e, VerdictRules rules, List<ModelVerdict> models, List<StageVerdict> stages)
    {
        Version = e.Version;
        switch (e)
        {
            case ProjectCreated created:
                _stage = created.InitialStage;
                _rounds[_stage] = 1;
                break;

            case ModelCallCompleted { Outcome: ModelChargeKind.Completed or ModelChargeKind.Replayed } call when rules.JudgedStages.Contains(call.Stage):
                _work.Add(new Work(++_sequence, _rounds.GetValueOrDefault(call.Stage), call.Role, call.Stage, call.Routing?.ChosenModelId ?? call.ModelId, call.Routing?.OutcomeBandsUp > 0));
                break;

            case StageChanged changed:
                if (rules.JudgedBy(changed.From) is { } judged)
                {
                    if (!changed.IsLoop)
                    {
                        Verdict(e, rules, changed.From, judged, accepted: true, models, stages);
                    }
                    else if (judged.Contains(changed.To))
                    {
                        Verdict(e, rules, changed.From, new HashSet<LifecycleStage> { changed.To }, accepted: false, models, stages);
                    }
                }

                _stage = changed.To;
                _rounds[changed.To] = _rounds.GetValueOrDefault(changed.To) + 1;
                break;

            // At the loop bound the send-back waits for a human; it is still the verdict (the answer that lets it through finds no new work).
            case ClientInputRequested { Kind: ClientInputKind.Escalation, Trigger: { } held }
                when rules.JudgedBy(_stage) is { } judgedHere && rules.Target(_stage, held) is { } target && judgedHere.Contains(target):
                Verdict(e, rules, _stage, new HashSet<LifecycleStage> { target }, accepted: false, models, stages);
                break;
        }
    }

    private void Verdict(ProjectEvent e, VerdictRules rules, LifecycleStage by, IReadOnlySet<LifecycleStage> judged, bool accepted, List<ModelVerdict> models, List<StageVerdict> stages)
    {
        var after = new Dictionary<LifecycleStage, long>();
        foreach (var stage in judged)
        {
            after[stage] = _cursors.GetValueOrDefault((by, stage));
            _cursors[(by, stage)] = _sequence;
        }

        var seenModels = new HashSet<(string Model, AgentRole Role, LifecycleStage Stage)>();
        var bands = new Dictionary<(AgentRole Role, LifecycleStage Stage), BandState>();
        foreach (var work in _work)
        {
            if (!after.TryGetValue(work.Stage, out long counted) || work.Sequence <= counted || work.Round != _rounds.GetValueOrDefault(work.Stage))
            {
                continue;
            }

            if (seenModels.Add((work.Model.ToUpperInvariant(), work.Role, work.Stage)))
            {
                models.Add(new ModelVerdict(work.Model, work.Role, work.Stage, accepted));
            }

            var state = work.Raised ? BandState.Raised : BandState.Normal;
            bands[(work.Role, work.Stage)] = bands.TryGetValue((work.Role, work.Stage), out var seen) && seen != state ? BandState.Mixed : state;
        }

        foreach (var ((role, stage), band) in bands)
        {
            stages.Add(new StageVerdict(e.Timestamp, e.ProjectId.Value, e.Version, role, stage, accepted, band));
        }

        Trim(rules);
    }

    /// <summary>Forgets work every verdict stage has already counted (a stage that gave no verdict yet keeps all of it).</summary>
    private void Trim(VerdictRules rules)
    {
        long oldest = long.MaxValue;
        foreach (var stage in rules.VerdictStages)
        {
            foreach (var judgedStage in rules.JudgedBy(stage)!)
            {
                oldest = Math.Min(oldest, _cursors.GetValueOrDefault((stage, judgedStage)));
            }
        }

        if (oldest > 0)
        {
            _work.RemoveAll(w => w.Sequence <= oldest);
        }
    }

    private readonly record struct Work(long Sequence, int Round, AgentRole Role, LifecycleStage Stage, string Model, bool Raised);
}
