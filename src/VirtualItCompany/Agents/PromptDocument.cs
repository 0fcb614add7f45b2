using System.Text;

namespace VirtualItCompany.Agents;

/// <summary>Writes an agent's request to the model as Markdown: a <c># Task:</c> line, then labelled <c>## </c> sections.</summary>
/// <remarks>
/// The labels are plain Markdown that any model reads by their meaning (Brief title, Brief description, Acceptance
/// criteria, Client answers, Requirements, Planned features, Feature, Feature description, Requested changes, Design notes,
/// Existing files, Files, Source files, Environment, Deployment); they are not a contract with any model. The offline model
/// reads these as it reads other wordings and styles (<c>Title:</c> lines, bold labels, other heading levels), so agents of
/// your own need not copy them. Lists are <c>- </c> items; an empty list reads <c>(none)</c>.
/// </remarks>
internal sealed class PromptDocument
{
    private readonly StringBuilder _text = new();

    public PromptDocument(string task) => _text.Append("# Task: ").Append(task).Append('\n');

    /// <summary>Adds a section of free text.</summary>
    public PromptDocument Section(string label, string? text)
    {
        _text.Append("\n## ").Append(label).Append('\n').Append(string.IsNullOrWhiteSpace(text) ? "(none)" : text.Trim()).Append('\n');
        return this;
    }

    /// <summary>Adds a list section; an item's further lines are indented under it.</summary>
    public PromptDocument List(string label, IEnumerable<string> items)
    {
        _text.Append("\n## ").Append(label).Append('\n');
        int count = 0;
        foreach (var item in items.Where(i => !string.IsNullOrWhiteSpace(i)))
        {
            var lines = item.Trim().ReplaceLineEndings("\n").Split('\n');
            _text.Append("- ").Append(lines[0].Trim()).Append('\n');
            foreach (var line in lines.Skip(1).Where(l => l.Trim().Length > 0))
            {
                _text.Append("  ").Append(line.Trim()).Append('\n');
            }

            count++;
        }

        if (count == 0)
        {
            _text.Append("(none)\n");
        }

        return this;
    }

    /// <summary>Adds the planned features as <c>- Name: description</c> items.</summary>
    public PromptDocument Features(IEnumerable<PlannedFeature> features) =>
        List("Planned features", features.Select(f => $"{OneLine(f.Name)}: {OneLine(f.Description)}"));

    /// <summary>Adds the brief's title and description.</summary>
    public PromptDocument Brief(ProjectBrief brief) =>
        Section("Brief title", OneLine(brief.Title)).Section("Brief description", brief.Description);

    /// <summary>Adds text as is.</summary>
    public PromptDocument Raw(string text)
    {
        _text.Append(text);
        return this;
    }

    /// <inheritdoc />
    public override string ToString() => _text.ToString();

    /// <summary>Gets text on one line.</summary>
    public static string OneLine(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
