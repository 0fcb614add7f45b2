using System.Text;

namespace VirtualItCompany.Providers.Offline;

/// <summary>What a part of a request is about, whatever its label says.</summary>
internal enum Section
{
    /// <summary>What the model is asked to do.</summary>
    Task,

    /// <summary>The project's title or name.</summary>
    Title,

    /// <summary>What the project is: the brief's text.</summary>
    Description,

    /// <summary>The conditions the delivery must meet, as a list.</summary>
    AcceptanceCriteria,

    /// <summary>The client's answers to earlier questions.</summary>
    ClientAnswers,

    /// <summary>The requirements: a summary, or a list that stands for the acceptance criteria.</summary>
    Requirements,

    /// <summary>The planned features, as <c>- Name: description</c> items.</summary>
    PlannedFeatures,

    /// <summary>The one feature to build.</summary>
    Feature,

    /// <summary>What the one feature to build does.</summary>
    FeatureDescription,

    /// <summary>Changes asked for by a review or the client.</summary>
    RequestedChanges,

    /// <summary>Design notes or guidelines.</summary>
    DesignNotes,

    /// <summary>A list of the repository's files.</summary>
    Files,

    /// <summary>The repository's files with their contents (<c>### path</c> then a fenced block).</summary>
    SourceFiles,

    /// <summary>The environment deployed to.</summary>
    Environment,

    /// <summary>Where the project is deployed (its address).</summary>
    Deployment,
}

/// <summary>The labels that introduce each <see cref="Section"/>: short phrases, compared without case, punctuation or leading articles.</summary>
internal static class PromptLabels
{
    /// <summary>The most words a label has; longer text is a sentence, not a label.</summary>
    public const int MaxWords = 5;

    private static readonly string[] Ignored = ["the", "a", "an", "your", "our", "my", "this"];

    private static readonly Dictionary<string, Section> Known = Build(
        (Section.Task, ["task", "current task", "assignment", "instruction", "instructions", "job", "what to do"]),
        (Section.Title, [
            "title", "name", "project", "project name", "project title", "brief title", "brief name", "product", "product name",
            "app", "app name", "application", "application name", "service name", "working title",
        ]),
        (Section.Description, [
            "description", "brief", "overview", "summary", "brief description", "project description", "project brief", "project overview",
            "project summary", "brief summary", "client brief", "about", "background",
        ]),
        (Section.AcceptanceCriteria, [
            "acceptance criteria", "acceptance criterion", "criteria", "success criteria", "must haves", "must have", "must have list",
            "definition of done", "acceptance tests", "requirements list", "list of requirements",
        ]),
        (Section.ClientAnswers, [
            "client answers", "client answer", "answers", "answers from client", "client replies", "replies", "client responses",
            "clarifications", "client clarifications", "answers to questions", "answers to open questions", "q a",
        ]),
        (Section.Requirements, ["requirements", "requirement", "requirements summary", "functional requirements", "project requirements", "key requirements", "specification", "spec"]),
        (Section.PlannedFeatures, [
            "planned features", "features", "feature list", "list of features", "plan", "feature plan", "project plan", "all features",
            "other features", "features planned", "features to build",
        ]),
        (Section.Feature, ["feature", "feature name", "current feature", "feature to implement", "feature to build", "assigned feature"]),
        (Section.FeatureDescription, ["feature description", "feature details", "feature spec", "feature specification", "feature summary", "what it does", "what feature does"]),
        (Section.RequestedChanges, [
            "requested changes", "requested change", "change requests", "change request", "changes requested", "changes", "feedback",
            "client feedback", "review comments", "review feedback", "comments", "fixes", "requested fixes",
        ]),
        (Section.DesignNotes, ["design", "design notes", "design note", "guidelines", "design guidelines", "coding guidelines", "conventions", "architecture", "design decisions"]),
        (Section.Files, [
            "files", "existing files", "file list", "list of files", "repository files", "project files", "workspace files", "current files",
            "file tree", "repository contents", "files in repository",
        ]),
        (Section.SourceFiles, ["source files", "source", "sources", "source code", "code", "file contents", "code to review"]),
        (Section.Environment, ["environment", "target environment", "deployment environment", "env"]),
        (Section.Deployment, [
            "deployment", "url", "deployment url", "staging url", "staging", "staging deployment", "address", "staging address", "link",
            "deployed at", "service url", "live url",
        ]));

    /// <summary>Gets the section a label stands for, or <see langword="null"/> when it is no known label.</summary>
    public static Section? Match(string label) =>
        Normalize(label) is { Length: > 0 } key && Known.TryGetValue(key, out var section) ? section : null;

    /// <summary>Gets a label's comparable form: lower case words without punctuation, numbering, possessives or leading articles.</summary>
    public static string Normalize(string label)
    {
        var text = new StringBuilder(label.Length);
        for (int i = 0; i < label.Length; i++)
        {
            char c = label[i];
            if ((c is '\'' or '’') && i + 1 < label.Length && label[i + 1] is 's' or 'S' && (i + 2 == label.Length || !char.IsLetterOrDigit(label[i + 2])))
            {
                i++; // "client's answers" reads as "client answers"
                continue;
            }

            text.Append(char.IsLetterOrDigit(c) ? char.ToLowerInvariant(c) : ' ');
        }

        var words = text.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
        while (words.Count > 0 && (words[0].All(char.IsDigit) || Ignored.Contains(words[0])))
        {
            words.RemoveAt(0); // "1. The title"
        }

        words.RemoveAll(w => w == "the");
        return words.Count is 0 or > MaxWords ? "" : string.Join(' ', words);
    }

    private static Dictionary<string, Section> Build(params (Section Section, string[] Labels)[] groups)
    {
        var known = new Dictionary<string, Section>(StringComparer.Ordinal);
        foreach (var (section, labels) in groups)
        {
            foreach (var label in labels)
            {
                known.Add(Normalize(label), section);
            }
        }

        return known;
    }
}
