namespace VirtualItCompany.Providers.Offline.Answers;

/// <summary>Plain-text answers; each says it comes from the offline model, not from AI.</summary>
internal static class TextAnswers
{
    /// <summary>The label every plain-text answer starts with.</summary>
    public const string Label = "[Offline model, no AI]";

    private static readonly TaskKind[] Kinds = [TaskKind.ClientNote, TaskKind.Monitor];

    /// <summary>Gets the text answer to a request that asks for neither structured output nor files.</summary>
    public static string Answer(PromptSections s)
    {
        string title = s.Title;
        switch (s.TaskAmong(Kinds))
        {
            // A note to the client needs the address to try; without one the request is not one the offline model can answer.
            case TaskKind.ClientNote when s.DeploymentUrl() is { Length: > 0 } deployment:
                return $"{Label} Hello! The staging deployment of \"{title}\" is running at {deployment}. " +
                    "Please try it and approve it for production, or tell us what to change.";
            case TaskKind.Monitor:
                return $"{Label} The monitoring window of \"{title}\" is summarised from the health checks above; no analysis was made.";
            default:
                return $"{Label} This answer comes from the offline stand-in model, which does not understand free-form requests. Configure a real model provider for this task.";
        }
    }

    /// <summary>Gets the summary after the files were written.</summary>
    public static string FilesWritten(IReadOnlyList<string> paths, int failures) =>
        failures == 0
            ? $"{Label} Wrote {paths.Count} file(s): {string.Join(", ", paths)}."
            : $"{Label} Tried to write {paths.Count} file(s); {failures} write(s) reported an error.";
}
