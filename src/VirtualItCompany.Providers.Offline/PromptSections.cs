using System.Text.RegularExpressions;

namespace VirtualItCompany.Providers.Offline;

/// <summary>The parts of a request's prompts, read by what their labels mean, as a model reads them.</summary>
/// <remarks>
/// <para>
/// A section starts at a line that labels it: a Markdown heading (<c># Label</c>, <c>## Label</c>, or <c>### Label</c>
/// except inside a files section, where <c>### path</c> names a file), a bold line (<c>**Label**</c>, <c>**Label:** text</c>)
/// or a line <c>Label: text</c> at the start of a line. The label must be a short phrase naming a known
/// <see cref="Section"/>, compared without case or punctuation and with synonyms (see <see cref="PromptLabels"/>): "Title",
/// "Project name" and "Brief title" all name the title. Text after the label on the same line is the section's first line.
/// </para>
/// <para>
/// Headings that name no known section do not start one, and nothing inside a fenced code block does, so a brief whose
/// text has headings of its own, or a source file with a README, is read whole. Inside a section of free text (description,
/// requirements, feature description, design notes) introduced by a heading and already holding text, a bold line or a
/// <c>Label:</c> line is part of the text: a brief under <c>## Brief description</c> may say "Features:" without its list
/// becoming the planned features. A section named twice is read as one, in order. Lists are lines starting with
/// <c>- </c>, <c>* </c>, <c>+ </c> or <c>1. </c>; an empty list may read <c>(none)</c>.
/// </para>
/// <para>
/// The task is the <c>Task</c> section (as in <c># Task: write the tests</c>); without one it is read from the first line
/// of the user's message, then from the system message (see <see cref="PromptTask"/>).
/// </para>
/// </remarks>
internal sealed partial class PromptSections
{
    private readonly Dictionary<Section, List<string>> _sections;
    private readonly string _headingTitle;
    private readonly string _headingBody;
    private readonly string _firstUserLine;
    private readonly string _system;
    private readonly string _all;

    private PromptSections(Dictionary<Section, List<string>> sections, string headingTitle, string headingBody, string firstUserLine, string system, string all)
    {
        _sections = sections;
        _headingTitle = headingTitle;
        _headingBody = headingBody;
        _firstUserLine = firstUserLine;
        _system = system;
        _all = all;
    }

    /// <summary>Gets the task's text (the first line of the task section, such as after <c># Task:</c>), or empty.</summary>
    public string Task => FirstLine(Section.Task);

    /// <summary>Gets the project's title: the title section's first line, else the first top-level heading that is no label; or empty.</summary>
    public string Title => FirstLine(Section.Title) is { Length: > 0 } title ? title : _headingTitle;

    /// <summary>Gets the project's description: the description section, else the text under an unlabelled top-level heading; or empty.</summary>
    public string Description => Has(Section.Description) ? Text(Section.Description) : _headingBody;

    /// <summary>Reads the sections of one user message.</summary>
    public static PromptSections Parse(string text) => Parse([(text, false)]);

    /// <summary>Reads the sections of a conversation's messages, each read on its own (a section does not run into the next message).</summary>
    public static PromptSections Parse(IEnumerable<(string Text, bool IsSystem)> messages)
    {
        var sections = new Dictionary<Section, List<string>>();
        string? headingTitle = null, headingBody = null, firstUserLine = null;
        bool userSeen = false;
        var system = new List<string>();
        var all = new List<string>();
        foreach (var (text, isSystem) in messages)
        {
            all.Add(text);
            if (isSystem)
            {
                system.Add(text);
            }

            Section? current = null;
            int strength = 0;
            bool underHeading = false;
            string? fence = null;
            var body = new List<string>();
            foreach (var rawLine in text.ReplaceLineEndings("\n").Split('\n'))
            {
                string line = rawLine.TrimEnd();
                if (fence is not null)
                {
                    body.Add(rawLine);
                    fence = ClosesFence(line, fence) ? null : fence;
                    continue;
                }

                if (OpensFence(line) is { } opened)
                {
                    fence = opened;
                    body.Add(rawLine);
                    continue;
                }

                if (Label(line, current) is var (section, inline, labelStrength) && !IsPartOfText(current, strength, labelStrength, body))
                {
                    Flush();
                    current = section;
                    strength = labelStrength;
                    userSeen |= !isSystem;
                    if (inline.Length > 0)
                    {
                        body.Add(inline);
                    }

                    continue;
                }

                if (!isSystem && !userSeen && line.Trim().Length > 0)
                {
                    userSeen = true;
                    firstUserLine = line.Trim();
                }

                if (current is null && !underHeading && headingTitle is null && TopHeading(line) is { } heading)
                {
                    headingTitle = heading;
                    underHeading = true;
                    continue;
                }

                if (current is not null || underHeading)
                {
                    body.Add(rawLine);
                }
            }

            Flush();

            void Flush()
            {
                string part = string.Join('\n', body).Trim('\n', '\r', ' ');
                if (current is { } section)
                {
                    if (!sections.TryGetValue(section, out var parts))
                    {
                        sections[section] = parts = [];
                    }

                    parts.Add(part);
                }
                else if (underHeading)
                {
                    headingBody ??= part;
                    underHeading = false;
                }

                body.Clear();
            }
        }

        return new PromptSections(sections, headingTitle ?? "", headingBody ?? "", firstUserLine ?? "", string.Join('\n', system), string.Join('\n', all));
    }

    /// <summary>Gets the kind of work asked for, among <paramref name="kinds"/>: from the task section when there is one, else from the user's first line, then the system message.</summary>
    public TaskKind TaskAmong(params TaskKind[] kinds)
    {
        if (_sections.TryGetValue(Section.Task, out var task))
        {
            return PromptTask.Read(task[0], kinds);
        }

        var kind = PromptTask.Read(_firstUserLine, kinds);
        return kind != TaskKind.None ? kind : PromptTask.Read(_system, kinds);
    }

    /// <summary>Gets whether the prompts have a section.</summary>
    public bool Has(Section section) => _sections.ContainsKey(section);

    /// <summary>Gets a section's text (the parts of a section named twice, in order), or empty.</summary>
    public string Text(Section section) => _sections.TryGetValue(section, out var parts) ? string.Join("\n\n", parts).Trim('\n') : "";

    /// <summary>Gets the first non-empty line of a section, or empty.</summary>
    public string FirstLine(Section section) =>
        Text(section).Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0) ?? "";

    /// <summary>Gets a section's list items (lines starting with a list marker; indented lines continue the item above; other lines are items of their own).</summary>
    public IReadOnlyList<string> Items(Section section)
    {
        var items = new List<string>();
        foreach (var line in Text(section).Split('\n'))
        {
            string trimmed = line.Trim();
            bool indented = line.Length > 0 && char.IsWhiteSpace(line[0]);
            if (trimmed.StartsWith("- ", StringComparison.Ordinal) || trimmed == "-")
            {
                items.Add(trimmed.Length > 2 ? trimmed[2..].Trim() : "");
            }
            else if (!indented && ListMarker().Match(trimmed) is { Success: true } marker)
            {
                items.Add(trimmed[marker.Length..].Trim());
            }
            else if (trimmed.Length > 0 && items.Count > 0 && indented)
            {
                items[^1] = items[^1] + "\n" + trimmed;
            }
            else if (trimmed.Length > 0 && !trimmed.StartsWith('('))
            {
                items.Add(trimmed);
            }
        }

        return items.FindAll(i => i.Length > 0);
    }

    /// <summary>Gets the acceptance criteria: the criteria section's items, else the requirements' when they are written as a list.</summary>
    public IReadOnlyList<string> Criteria()
    {
        var criteria = Items(Section.AcceptanceCriteria);
        return criteria.Count == 0 && IsList(Section.Requirements) ? Items(Section.Requirements) : criteria;
    }

    /// <summary>Gets the planned features listed as <c>- Name: description</c> items (an item without a description is its own description).</summary>
    public IReadOnlyList<(string Name, string Description)> Features() =>
        [.. Items(Section.PlannedFeatures).Select(item => SplitNamed(item) ?? (Unwrap(item.Trim()), item.Trim()))];

    /// <summary>Gets the files the prompts name: the files section's items and the <c>### path</c> headings of both files sections (not the contents of fenced blocks).</summary>
    public IReadOnlySet<string> FilePaths()
    {
        var paths = new HashSet<string>(StringComparer.Ordinal);
        foreach (var section in (Section[])[Section.Files, Section.SourceFiles])
        {
            string? fence = null;
            foreach (var line in Text(section).Split('\n'))
            {
                string trimmed = line.Trim();
                if (fence is not null)
                {
                    fence = ClosesFence(trimmed, fence) ? null : fence;
                    continue;
                }

                if ((fence = OpensFence(trimmed)) is not null || trimmed.Length == 0 || trimmed.StartsWith('('))
                {
                    continue;
                }

                string? path = trimmed.StartsWith('#') ? trimmed.TrimStart('#').Trim()
                    : trimmed.StartsWith("- ", StringComparison.Ordinal) ? trimmed[2..].Trim()
                    : ListMarker().Match(trimmed) is { Success: true } marker ? trimmed[marker.Length..].Trim()
                    : trimmed.StartsWith("**", StringComparison.Ordinal) || section == Section.Files ? trimmed
                    : null;
                if (path is not null && Unwrap(path).TrimEnd(':').Trim() is { Length: > 0 } name)
                {
                    string normalized = name.Replace('\\', '/');
                    paths.Add(normalized.StartsWith("./", StringComparison.Ordinal) ? normalized[2..] : normalized);
                }
            }
        }

        return paths;
    }

    /// <summary>Gets where the project is deployed: the deployment section's first line, else the first web address in the prompts; or empty.</summary>
    public string DeploymentUrl() =>
        Unwrap(FirstLine(Section.Deployment)) is { Length: > 0 } url ? url
        : WebAddress().Match(_all) is { Success: true } match ? match.Value.TrimEnd('.', ',', ')', ';')
        : "";

    /// <summary>Splits <c>Name: description</c> (or <c>Name — description</c>); <see langword="null"/> when the text has no such separator.</summary>
    public static (string Name, string Description)? SplitNamed(string text)
    {
        foreach (var separator in (string[])[": ", " — ", " – "])
        {
            int at = text.IndexOf(separator, StringComparison.Ordinal);
            if (at > 0)
            {
                return (Unwrap(text[..at].Trim()), text[(at + separator.Length)..].Trim());
            }
        }

        return null;
    }

    /// <summary>Gets text without the emphasis or code marks around it (<c>**x**</c>, <c>__x__</c>, <c>`x`</c>).</summary>
    public static string Unwrap(string text)
    {
        foreach (var mark in (string[])["**", "__", "`"])
        {
            if (text.Length > 2 * mark.Length && text.StartsWith(mark, StringComparison.Ordinal) && text.EndsWith(mark, StringComparison.Ordinal))
            {
                return text[mark.Length..^mark.Length].Trim();
            }
        }

        return text;
    }

    // Whether a section is written as a list: at least one item and no line outside the items.
    private bool IsList(Section section)
    {
        bool any = false;
        foreach (var line in Text(section).Split('\n'))
        {
            string trimmed = line.Trim();
            if (trimmed.StartsWith("- ", StringComparison.Ordinal) || ListMarker().IsMatch(trimmed))
            {
                any = true;
            }
            else if (trimmed.Length > 0 && !(any && char.IsWhiteSpace(line[0])))
            {
                return false;
            }
        }

        return any;
    }

    // Whether a bold or "Label:" line is part of a free-text section introduced by a heading that already holds text.
    private static bool IsPartOfText(Section? current, int currentStrength, int labelStrength, List<string> body) =>
        current is Section.Description or Section.Requirements or Section.FeatureDescription or Section.DesignNotes
        && currentStrength <= 3 && labelStrength > 3 && body.Exists(l => l.Trim().Length > 0);

    // The section a line starts, the text after the label on the same line, and the kind of label: the heading's level
    // (1 to 3), or 4 for a bold line or a "Label:" line.
    private static (Section Section, string Inline, int Strength)? Label(string line, Section? current)
    {
        if (line.Length == 0)
        {
            return null;
        }

        if (line[0] == '#')
        {
            int level = line.TakeWhile(c => c == '#').Count();
            if (level > 3 || level == line.Length || line[level] != ' ' || (level == 3 && current is Section.Files or Section.SourceFiles))
            {
                return null;
            }

            string text = line[level..].Trim().TrimEnd('#').Trim();
            if (PromptLabels.Match(text) is { } whole)
            {
                return (whole, "", level);
            }

            int colon = text.IndexOf(':', StringComparison.Ordinal);
            return colon > 0 && PromptLabels.Match(text[..colon]) is { } section ? (section, text[(colon + 1)..].Trim(' ', '*', '_'), level) : null;
        }

        if (BoldLabel().Match(line) is { Success: true } bold)
        {
            string label = bold.Groups["label"].Value.Trim();
            string rest = bold.Groups["rest"].Value.Trim();
            if (label.EndsWith(':'))
            {
                label = label[..^1];
            }
            else if (rest.StartsWith(':'))
            {
                rest = rest[1..].Trim();
            }
            else if (rest.Length > 0)
            {
                return null; // bold words starting a sentence
            }

            return PromptLabels.Match(label) is { } section ? (section, rest, 4) : null;
        }

        if (char.IsLetter(line[0]))
        {
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || colon > 60 || (colon + 1 < line.Length && !char.IsWhiteSpace(line[colon + 1])))
            {
                return null; // no label, or "http://..." and "C:\..."
            }

            return PromptLabels.Match(line[..colon]) is { } section ? (section, line[(colon + 1)..].Trim(), 4) : null;
        }

        return null;
    }

    // The text of a top-level heading ("# Recipe box") that is no label.
    private static string? TopHeading(string line) =>
        line.StartsWith("# ", StringComparison.Ordinal) && Unwrap(line[2..].Trim().TrimEnd('#').Trim()) is { Length: > 0 } text ? text : null;

    // A fence opens with three or more backticks or tildes; it closes with a line of at least as many of the same.
    private static string? OpensFence(string line)
    {
        string trimmed = line.TrimStart();
        if (trimmed.Length < 3 || trimmed[0] is not ('`' or '~'))
        {
            return null;
        }

        int run = trimmed.TakeWhile(c => c == trimmed[0]).Count();
        return run >= 3 ? new string(trimmed[0], run) : null;
    }

    private static bool ClosesFence(string line, string fence)
    {
        string trimmed = line.Trim();
        return trimmed.Length >= fence.Length && trimmed.All(c => c == fence[0]);
    }

    [GeneratedRegex(@"^([*+•]|\d{1,3}[.)])(\s+\[[ xX]\])?(\s+|$)")]
    private static partial Regex ListMarker();

    [GeneratedRegex(@"^(\*\*|__)(?<label>[^*_]{1,60}?)\1(?<rest>.*)$")]
    private static partial Regex BoldLabel();

    [GeneratedRegex(@"https?://[^\s<>""'`]+")]
    private static partial Regex WebAddress();
}
