namespace VirtualItCompany.Lifecycle;

/// <summary>Finds every problem of a lifecycle definition, so a team fixes them all in one go.</summary>
internal static class LifecycleValidator
{
    public static IReadOnlyList<string> Validate(LifecycleDefinition definition)
    {
        var problems = new List<string>();
        if (definition.Stages.Count == 0)
        {
            problems.Add("The lifecycle declares no stages; declare its stages with Stage(...), FanOutStage(...) and Terminal(...).");
            return problems;
        }

        var declared = new HashSet<LifecycleStage>();
        foreach (var stage in definition.Stages)
        {
            if (!declared.Add(stage.Stage))
            {
                problems.Add($"Stage '{stage.Stage}' is declared more than once; declare each stage once.");
            }
        }

        var initialDeclared = declared.Contains(definition.InitialStage);
        if (!initialDeclared)
        {
            problems.Add($"The initial stage '{definition.InitialStage}' is not declared; declare it with Stage(...).");
        }

        if (definition.TerminalStages.Count == 0)
        {
            problems.Add("No terminal stage is declared, so no project could ever finish; declare one with Terminal(...).");
        }

        var edges = CheckTransitions(definition, declared, problems);
        var reachable = initialDeclared ? Reach(definition.InitialStage, edges) : null;
        var finishing = FindStagesThatReachATerminal(definition, edges);

        foreach (var stage in definition.Stages)
        {
            CheckStage(definition, stage, edges, reachable, finishing, problems);
        }

        return problems;
    }

    private static Dictionary<LifecycleStage, List<LifecycleTransition>> CheckTransitions(
        LifecycleDefinition definition, HashSet<LifecycleStage> declared, List<string> problems)
    {
        var edges = new Dictionary<LifecycleStage, List<LifecycleTransition>>();
        var targets = new Dictionary<(LifecycleStage, LifecycleTrigger), LifecycleStage>();
        foreach (var transition in definition.Transitions)
        {
            var fromDeclared = declared.Contains(transition.From);
            var toDeclared = declared.Contains(transition.To);
            if (!fromDeclared)
            {
                problems.Add($"The transition {Describe(transition)} starts at stage '{transition.From}', which is not declared; declare it or remove the transition.");
            }

            if (!toDeclared)
            {
                problems.Add($"The transition {Describe(transition)} leads to stage '{transition.To}', which is not declared; declare it or remove the transition.");
            }

            if (targets.TryGetValue((transition.From, transition.Trigger), out var earlierTarget))
            {
                if (earlierTarget != transition.To)
                {
                    problems.Add(
                        $"Stage '{transition.From}' sends trigger '{transition.Trigger}' to both '{earlierTarget}' and '{transition.To}'; a trigger must lead to one stage, so remove one of the transitions.");
                }

                continue;
            }

            targets.Add((transition.From, transition.Trigger), transition.To);
            if (fromDeclared && toDeclared)
            {
                if (!edges.TryGetValue(transition.From, out var outgoing))
                {
                    edges[transition.From] = outgoing = [];
                }

                outgoing.Add(transition);
            }
        }

        return edges;
    }

    private static void CheckStage(
        LifecycleDefinition definition,
        StageDefinition stage,
        Dictionary<LifecycleStage, List<LifecycleTransition>> edges,
        HashSet<LifecycleStage>? reachable,
        HashSet<LifecycleStage> finishing,
        List<string> problems)
    {
        var isTerminal = definition.TerminalStages.Contains(stage.Stage);
        var outgoing = definition.Transitions.Where(t => t.From == stage.Stage).ToList();
        if (isTerminal)
        {
            if (outgoing.Count > 0)
            {
                problems.Add(
                    $"Terminal stage '{stage.Stage}' has outgoing transitions (on {string.Join(", ", outgoing.Select(t => $"'{t.Trigger}'"))}); a finished project must stay finished, so remove them or declare the stage with Stage(...).");
            }
        }
        else
        {
            if (stage.Roles.Count == 0)
            {
                problems.Add($"Stage '{stage.Stage}' has no roles, so no one would work in it; name at least one role, or declare it with Terminal(...) if projects end there.");
            }

            if (outgoing.Count == 0)
            {
                problems.Add($"Stage '{stage.Stage}' has no way out: it is not terminal and no transition leaves it; add a Permit(...) from it or declare it with Terminal(...).");
            }
            else if (definition.TerminalStages.Count > 0 && edges.ContainsKey(stage.Stage) && !finishing.Contains(stage.Stage))
            {
                problems.Add($"No terminal stage can be reached from stage '{stage.Stage}', so a project entering it could never finish; add a transition towards a terminal stage.");
            }
        }

        if (reachable is not null && !reachable.Contains(stage.Stage))
        {
            problems.Add($"Stage '{stage.Stage}' cannot be reached from the initial stage '{definition.InitialStage}'; add a transition into it or remove it.");
        }
    }

    private static HashSet<LifecycleStage> Reach(LifecycleStage start, Dictionary<LifecycleStage, List<LifecycleTransition>> edges)
    {
        var seen = new HashSet<LifecycleStage> { start };
        var pending = new Queue<LifecycleStage>([start]);
        while (pending.TryDequeue(out var stage))
        {
            if (!edges.TryGetValue(stage, out var outgoing))
            {
                continue;
            }

            foreach (var transition in outgoing)
            {
                if (seen.Add(transition.To))
                {
                    pending.Enqueue(transition.To);
                }
            }
        }

        return seen;
    }

    private static HashSet<LifecycleStage> FindStagesThatReachATerminal(
        LifecycleDefinition definition, Dictionary<LifecycleStage, List<LifecycleTransition>> edges)
    {
        var incoming = new Dictionary<LifecycleStage, List<LifecycleStage>>();
        foreach (var transition in edges.Values.SelectMany(t => t))
        {
            if (!incoming.TryGetValue(transition.To, out var sources))
            {
                incoming[transition.To] = sources = [];
            }

            sources.Add(transition.From);
        }

        var finishing = new HashSet<LifecycleStage>(definition.TerminalStages);
        var pending = new Queue<LifecycleStage>(definition.TerminalStages);
        while (pending.TryDequeue(out var stage))
        {
            if (!incoming.TryGetValue(stage, out var sources))
            {
                continue;
            }

            foreach (var source in sources)
            {
                if (finishing.Add(source))
                {
                    pending.Enqueue(source);
                }
            }
        }

        return finishing;
    }

    private static string Describe(LifecycleTransition transition) =>
        $"from '{transition.From}' on '{transition.Trigger}' to '{transition.To}'";
}
