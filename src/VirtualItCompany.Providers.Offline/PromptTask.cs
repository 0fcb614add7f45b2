namespace VirtualItCompany.Providers.Offline;

/// <summary>The kinds of work the offline model knows how to answer.</summary>
internal enum TaskKind
{
    /// <summary>No known kind of work.</summary>
    None,

    /// <summary>Capture the requirements from the brief and the client's answers.</summary>
    CaptureRequirements,

    /// <summary>Plan the features.</summary>
    PlanFeatures,

    /// <summary>Write the design notes.</summary>
    Design,

    /// <summary>Set up (scaffold) the repository.</summary>
    Scaffold,

    /// <summary>Implement one feature.</summary>
    ImplementFeature,

    /// <summary>Review the code.</summary>
    Review,

    /// <summary>Write the automated tests.</summary>
    WriteTests,

    /// <summary>Say which command runs the tests.</summary>
    ChooseTestCommand,

    /// <summary>Say how to build and start the service.</summary>
    PlanDeployment,

    /// <summary>Write to the client.</summary>
    ClientNote,

    /// <summary>Summarise a monitoring window.</summary>
    Monitor,
}

/// <summary>Reads what kind of work an instruction asks for, from its words rather than an exact phrase.</summary>
/// <remarks>
/// Each kind has cue phrases with weights ("test*" matches test, tests, testing, tester); a kind scores the weights of its
/// cues found in the text, each once. A cue is not counted in a clause after a negation ("do not implement the features").
/// The highest score wins; a tie goes to the kind whose cue comes first in the text.
/// </remarks>
internal static class PromptTask
{
    private static readonly string[] Negations = ["not", "don't", "dont", "never", "no", "without", "avoid", "except", "nor"];

    private static readonly (TaskKind Kind, string[] Words, int Weight)[] Cues = Parse(
        (TaskKind.CaptureRequirements, ["requirement* 3", "acceptance criteri* 2", "open question* 2", "clarif* 1", "capture 1", "analy* 1"]),
        (TaskKind.PlanFeatures, ["plan* 2", "feature* 1", "break* down 2", "roadmap 2", "backlog 2"]),
        (TaskKind.Design, ["design* 3", "guideline* 2", "architect* 2", "convention* 1"]),
        (TaskKind.Scaffold, [
            "scaffold* 4", "set up 4", "setup 4", "bootstrap* 4", "skeleton 3", "boilerplate 3", "initiali* 3",
            "project structure 2", "new project 2", "starter 2", "repositor* 1", "devops 1",
        ]),
        (TaskKind.ImplementFeature, ["implement* 3", "feature* 2", "develop* 2", "story 1", "stories 1", "code 1", "build 1"]),
        (TaskKind.Review, ["review* 3", "verdict 2", "critique 2", "approv* 1"]),
        (TaskKind.WriteTests, ["test* 3", "qa 2", "unit test* 1", "coverage 1"]),
        (TaskKind.ChooseTestCommand, ["command* 2", "test* 1", "run* 1"]),
        (TaskKind.PlanDeployment, ["deploy* 3", "start command 2", "build command 2", "health path 1", "release 1", "host* 1"]),
        (TaskKind.ClientNote, ["client* 3", "customer* 3", "stakeholder* 2", "email 2", "note 1", "message 1", "staging 1", "approv* 1"]),
        (TaskKind.Monitor, ["monitor* 4", "health check* 2", "uptime 2", "incident* 1"]));

    /// <summary>Gets the kind of work, among <paramref name="kinds"/>, that the text asks for; <see cref="TaskKind.None"/> when it names none of them.</summary>
    public static TaskKind Read(string text, IReadOnlyCollection<TaskKind> kinds)
    {
        var clauses = Clauses(text);
        var best = TaskKind.None;
        (int Score, int First) bestScore = (0, int.MaxValue);
        foreach (var kind in kinds)
        {
            int score = 0, first = int.MaxValue;
            foreach (var cue in Cues.Where(c => c.Kind == kind))
            {
                if (Find(clauses, cue.Words) is { } at)
                {
                    score += cue.Weight;
                    first = Math.Min(first, at);
                }
            }

            if (score > bestScore.Score || (score == bestScore.Score && score > 0 && first < bestScore.First))
            {
                best = kind;
                bestScore = (score, first);
            }
        }

        return best;
    }

    // The position (word number) where the cue's words first appear in a row, outside a negated part of a clause.
    private static int? Find(List<List<string>> clauses, string[] cue)
    {
        int offset = 0;
        foreach (var words in clauses)
        {
            for (int i = 0; i + cue.Length <= words.Count; i++)
            {
                if (Negations.Contains(words[i]))
                {
                    break; // the rest of the clause is negated
                }

                if (cue.Select((w, j) => Matches(words[i + j], w)).All(m => m))
                {
                    return offset + i;
                }
            }

            offset += words.Count;
        }

        return null;
    }

    private static bool Matches(string word, string cue) =>
        cue.EndsWith('*') ? word.StartsWith(cue[..^1], StringComparison.Ordinal) : word == cue || word == cue + "s";

    private static List<List<string>> Clauses(string text)
    {
        var clauses = new List<List<string>>();
        var words = new List<string>();
        var word = new System.Text.StringBuilder();
        foreach (char c in text + ".")
        {
            if (char.IsLetterOrDigit(c) || (c is '\'' or '’' && word.Length > 0))
            {
                word.Append(char.ToLowerInvariant(c == '’' ? '\'' : c));
                continue;
            }

            if (word.Length > 0)
            {
                words.Add(word.ToString().TrimEnd('\''));
                word.Clear();
            }

            if (c is '.' or ';' or ':' or '!' or '?' or ',' or '\n' or '(' or ')')
            {
                if (words.Count > 0)
                {
                    clauses.Add(words);
                    words = [];
                }
            }
        }

        return clauses;
    }

    private static (TaskKind, string[], int)[] Parse(params (TaskKind Kind, string[] Cues)[] groups) =>
        [.. groups.SelectMany(g => g.Cues.Select(c =>
        {
            var parts = c.Split(' ');
            return (g.Kind, parts[..^1], int.Parse(parts[^1], System.Globalization.CultureInfo.InvariantCulture));
        }))];
}
