using VirtualItCompany.Providers.Offline.Template;

namespace VirtualItCompany.Providers.Offline.Answers;

/// <summary>Decides which files to write when the file tools are offered, from the kind of work asked for and the prompt's sections.</summary>
internal static class ToolAnswers
{
    private static readonly TaskKind[] Kinds = [TaskKind.WriteTests, TaskKind.ImplementFeature, TaskKind.Scaffold];

    /// <summary>Gets the files to write for the request, or none when the task is not one the offline model knows.</summary>
    public static IReadOnlyList<GeneratedFile> FilesFor(PromptSections s)
    {
        string title = s.Title;
        switch (s.TaskAmong(Kinds))
        {
            case TaskKind.WriteTests:
                return ServiceTemplate.TestFiles(title, s.Features());
            case TaskKind.ImplementFeature when Feature(s) is var (name, description):
                return [ServiceTemplate.FeatureFile(title, name, description)];
            case TaskKind.Scaffold:
                return ServiceTemplate.SetupFiles(title, s.Description);
            default:
                return [];
        }
    }

    // The feature to build: the feature section's first line (a list marker dropped), described by the feature description
    // section, else by the rest of a "Name: description" line, else by its name.
    private static (string Name, string Description)? Feature(PromptSections s)
    {
        string line = s.FirstLine(Section.Feature);
        if (line.StartsWith("- ", StringComparison.Ordinal) || line.StartsWith("* ", StringComparison.Ordinal))
        {
            line = line[2..].Trim();
        }

        if (line.Length == 0)
        {
            return null;
        }

        if (s.Text(Section.FeatureDescription) is { Length: > 0 } description)
        {
            return (PromptSections.Unwrap(line), description.ReplaceLineEndings(" "));
        }

        return PromptSections.SplitNamed(line) is { Name.Length: > 0 } named ? named : (PromptSections.Unwrap(line), PromptSections.Unwrap(line));
    }
}
