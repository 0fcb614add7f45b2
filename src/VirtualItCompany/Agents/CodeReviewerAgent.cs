using System.Text;
using Microsoft.Extensions.Options;

namespace VirtualItCompany.Agents;

/// <summary>The code reviewer: reads the source files and approves them or asks for changes.</summary>
public sealed class CodeReviewerAgent : BuiltInAgent
{
    private static readonly string[] SkippedFolders = ["docs", "bin", "obj", "out", "node_modules", ".git"];

    /// <summary>Creates the agent.</summary>
    /// <param name="options">The agents' options: the most source given to review.</param>
    public CodeReviewerAgent(IOptions<AgentOptions> options)
        : base(options, AgentRole.CodeReviewer, LifecycleStage.CodeReview)
    {
    }

    /// <inheritdoc />
    protected override async Task<AgentOutcome> ExecuteStageAsync(AgentContext context, CancellationToken cancellationToken)
    {
        var project = context.Project;
        var paths = (await context.Workspace.ListFilesAsync("", cancellationToken).ConfigureAwait(false))
            .Where(p => !p.Split('/').SkipLast(1).Any(folder => SkippedFolders.Contains(folder, StringComparer.OrdinalIgnoreCase)))
            .ToList();
        var (sources, notShown) = await ReadSourcesAsync(context.Workspace, paths, cancellationToken).ConfigureAwait(false);
        if (sources.Count == 0)
        {
            return AgentOutcome.Completed(
                "There is no source code to review.",
                LifecycleTrigger.ChangesNeeded,
                [new CodeReviewed(false, ["The repository has no source files; implement the planned features."])]);
        }

        var prompt = new PromptDocument(CodeReviewerPrompts.Task)
            .Brief(project.Brief)
            .List("Acceptance criteria", project.AcceptanceCriteria)
            .Features(project.Features)
            .List("Files", paths)
            .Raw("\n## Source files\n");
        foreach (var (path, text) in sources)
        {
            string fence = new('`', Math.Max(3, LongestBacktickRun(text) + 1));
            prompt.Raw($"\n### {path}\n{fence}\n{text.TrimEnd()}\n{fence}\n");
        }

        if (notShown.Count > 0)
        {
            prompt.Raw($"\n(Not shown, over the review size limit: {string.Join(", ", notShown)}.)\n");
        }

        var answer = await ModelCalls.AskAsync<ReviewVerdict>(context, Options.SystemPrompt(AgentPromptKeys.CodeReviewer, CodeReviewerPrompts.System), prompt.ToString(), complexity: 6, Options.StructuredAnswerRepairs, cancellationToken).ConfigureAwait(false);
        if (answer.Value is not { } verdict)
        {
            return AgentStages.InvalidAnswer("The review verdict could not be read", answer.Problem!);
        }

        var comments = (verdict.Comments ?? []).Where(c => !string.IsNullOrWhiteSpace(c)).Select(c => c.Trim()).ToList();
        if (!verdict.Approved && comments.Count == 0)
        {
            return AgentStages.InvalidAnswer("The review is not usable", "it asks for changes without saying which");
        }

        return verdict.Approved
            ? AgentOutcome.Completed($"Approved the code ({sources.Count} files reviewed).", LifecycleTrigger.ReviewApproved, [new CodeReviewed(true, comments)])
            : AgentOutcome.Completed($"Asked for {comments.Count} change(s).", LifecycleTrigger.ChangesNeeded, [new CodeReviewed(false, comments)]);
    }

    private async Task<(List<(string Path, string Text)> Sources, List<string> NotShown)> ReadSourcesAsync(IProjectWorkspace workspace, List<string> paths, CancellationToken cancellationToken)
    {
        var sources = new List<(string, string)>();
        var notShown = new List<string>();
        int budget = Options.MaxReviewChars;
        foreach (var path in paths)
        {
            string text = await workspace.ReadFileAsync(path, cancellationToken).ConfigureAwait(false);
            if (text.Contains('\0', StringComparison.Ordinal))
            {
                continue; // binary
            }

            if (text.Length > budget)
            {
                notShown.Add(path);
                continue;
            }

            budget -= text.Length;
            sources.Add((path, text));
        }

        return (sources, notShown);
    }

    private static int LongestBacktickRun(string text)
    {
        int longest = 0, run = 0;
        foreach (char c in text)
        {
            run = c == '`' ? run + 1 : 0;
            longest = Math.Max(longest, run);
        }

        return longest;
    }
}
