namespace VirtualItCompany.Providers.Offline;

/// <summary>The labelled sections of the built-in agents' prompts, as a real model reads them.</summary>
/// <remarks>
/// The agents write their prompts as Markdown: a first line <c># Task: ...</c>, then sections
/// introduced by <c>## Label</c> lines; lists are lines starting with <c>- </c>.
/// Only the labels below start a section, so a brief whose text holds other headings is read whole.
/// </remarks>
internal sealed class PromptSections
{
    internal const string BriefTitle = "Brief title";
    internal const string BriefDescription = "Brief description";
    internal const string AcceptanceCriteria = "Acceptance criteria";
    internal const string ClientAnswers = "Client answers";
    internal const string Requirements = "Requirements";
    internal const string PlannedFeatures = "Planned features";
    internal const string Feature = "Feature";
    internal const string FeatureDescription = "Feature description";
    internal const string RequestedChanges = "Requested changes";
    internal const string DesignNotes = "Design notes";
    internal const string ExistingFiles = "Existing files";
    internal const string Files = "Files";
    internal const string SourceFiles = "Source files";
    internal const string Environment = "Environment";
    internal const string Deployment = "Deployment";

    private static readonly string[] Labels =
    [
        BriefTitle, BriefDescription, AcceptanceCriteria, ClientAnswers, Requirements, PlannedFeatures, Feature,
        FeatureDescription, RequestedChanges, DesignNotes, ExistingFiles, Files, SourceFiles, Environment, Deployment,
    ];

    private readonly Dictionary<string, string> _sections;

    private PromptSections(string task, Dictionary<string, string> sections)
    {
        Task = task;
        _sections = sections;
    }

    /// <summary>Gets the task line's text (after <c># Task:</c>), or empty.</summary>
    public string Task { get; }

    /// <summary>Reads the sections of a prompt.</summary>
    public static PromptSections Parse(string text)
    {
        var sections = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        string task = "";
        string? current = null;
        var body = new List<string>();
        foreach (var rawLine in text.ReplaceLineEndings("\n").Split('\n'))
        {
            string line = rawLine.TrimEnd();
            if (task.Length == 0 && current is null && line.StartsWith("# Task:", StringComparison.OrdinalIgnoreCase))
            {
                task = line["# Task:".Length..].Trim();
                continue;
            }

            string? label = line.StartsWith("## ", StringComparison.Ordinal)
                ? Array.Find(Labels, l => string.Equals(l, line[3..].Trim(), StringComparison.OrdinalIgnoreCase))
                : null;
            if (label is not null)
            {
                Flush();
                current = label;
                continue;
            }

            if (current is not null)
            {
                body.Add(rawLine);
            }
        }

        Flush();
        return new PromptSections(task, sections);

        void Flush()
        {
            if (current is not null && !sections.ContainsKey(current))
            {
                sections[current] = string.Join('\n', body).Trim('\n', '\r', ' ');
            }

            body.Clear();
        }
    }

    /// <summary>Gets whether the task line contains a word.</summary>
    public bool TaskIs(string word) => Task.Contains(word, StringComparison.OrdinalIgnoreCase);

    /// <summary>Gets a section's text, or empty.</summary>
    public string Text(string label) => _sections.TryGetValue(label, out var text) ? text : "";

    /// <summary>Gets a section's list items (lines starting with <c>- </c>; indented lines continue the item above).</summary>
    public IReadOnlyList<string> Items(string label)
    {
        var items = new List<string>();
        foreach (var line in Text(label).Split('\n'))
        {
            string trimmed = line.Trim();
            if (trimmed.StartsWith("- ", StringComparison.Ordinal) || trimmed == "-")
            {
                items.Add(trimmed.Length > 2 ? trimmed[2..].Trim() : "");
            }
            else if (trimmed.Length > 0 && items.Count > 0 && line.StartsWith(' '))
            {
                items[^1] = items[^1] + "\n" + trimmed;
            }
            else if (trimmed.Length > 0 && !trimmed.StartsWith('(') )
            {
                items.Add(trimmed);
            }
        }

        return items.FindAll(i => i.Length > 0);
    }

    /// <summary>Gets the planned features listed as <c>- Name: description</c> items.</summary>
    public IReadOnlyList<(string Name, string Description)> Features(string label = PlannedFeatures)
    {
        var features = new List<(string, string)>();
        foreach (var item in Items(label))
        {
            int colon = item.IndexOf(": ", StringComparison.Ordinal);
            features.Add(colon > 0 ? (item[..colon].Trim(), item[(colon + 2)..].Trim()) : (item.Trim(), item.Trim()));
        }

        return features;
    }
}
