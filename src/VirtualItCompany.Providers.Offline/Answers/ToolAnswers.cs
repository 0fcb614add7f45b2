using VirtualItCompany.Providers.Offline.Template;

namespace VirtualItCompany.Providers.Offline.Answers;

/// <summary>Decides which files to write when the file tools are offered, from the prompt's task and sections.</summary>
internal static class ToolAnswers
{
    /// <summary>Gets the files to write for the request, or none when the task is not one the offline model knows.</summary>
    public static IReadOnlyList<GeneratedFile> FilesFor(PromptSections s)
    {
        string title = s.Text(PromptSections.BriefTitle);
        if (s.TaskIs("test"))
        {
            var planned = s.Features();
            return ServiceTemplate.TestFiles(title, planned);
        }

        if (s.TaskIs("feature") && s.Text(PromptSections.Feature) is { Length: > 0 } feature)
        {
            string name = feature.Split('\n')[0].Trim();
            string description = s.Text(PromptSections.FeatureDescription) is { Length: > 0 } d ? d.ReplaceLineEndings(" ") : name;
            return [ServiceTemplate.FeatureFile(title, name, description)];
        }

        if (s.TaskIs("scaffold") || s.TaskIs("set up"))
        {
            return ServiceTemplate.SetupFiles(title, s.Text(PromptSections.BriefDescription));
        }

        return [];
    }
}
