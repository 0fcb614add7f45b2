using System.Globalization;
using Spectre.Console;
using VirtualItCompany;
using VirtualItCompany.Lifecycle;

namespace Quickstart;

/// <summary>Prints the end-of-run summary: stages, roles, cost, the workspace and the lifecycle.</summary>
internal static class Summary
{
    public static void Write(ProjectSnapshot project, IReadOnlyList<ProjectEvent> history, string workspace, LifecycleEngine engine, TimeSpan wallTime)
    {
        AnsiConsole.WriteLine();
        AnsiConsole.Write(new Rule($"[bold]Summary: {Markup.Escape(project.Brief.Title)}[/]").LeftJustified());
        AnsiConsole.MarkupLine($"Status: [bold]{project.Status}[/] in stage {project.Stage}; wall time {wallTime.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)}s");

        var stages = new Table().Title("Stages").AddColumns("stage", "entered", "time", "calls", "tokens", "cost");
        var entries = history.OfType<StageChanged>().Select(s => (Stage: s.To, At: s.Timestamp)).Prepend((Stage: LifecycleStage.RequirementsAnalysis, At: history[0].Timestamp)).ToList();
        var end = history[^1].Timestamp;
        for (int i = 0; i < entries.Count; i++)
        {
            var (stage, at) = entries[i];
            var until = i + 1 < entries.Count ? entries[i + 1].At : end;
            var calls = history.OfType<ModelCallCompleted>().Where(c => c.Stage == stage && c.Timestamp >= at && c.Timestamp <= until).ToList();
            stages.AddRow(stage.Value, $"+{(at - history[0].Timestamp).TotalSeconds:0.0}s", $"{(until - at).TotalSeconds:0.0}s", calls.Count.ToString(CultureInfo.InvariantCulture), Tokens(calls), Cost(calls));
        }

        AnsiConsole.Write(stages);

        var roles = new Table().Title("Roles").AddColumns("role", "work items", "calls", "tokens", "cost");
        foreach (var group in history.OfType<ModelCallCompleted>().GroupBy(c => c.Role).OrderBy(g => g.Key.Value, StringComparer.Ordinal))
        {
            int items = history.OfType<WorkItemCompleted>().Count(w => w.Role == group.Key);
            roles.AddRow(group.Key.Value, items.ToString(CultureInfo.InvariantCulture), group.Count().ToString(CultureInfo.InvariantCulture), Tokens(group), Cost(group));
        }

        var all = history.OfType<ModelCallCompleted>().ToList();
        roles.AddRow("[bold]total[/]", history.OfType<WorkItemCompleted>().Count().ToString(CultureInfo.InvariantCulture), all.Count.ToString(CultureInfo.InvariantCulture), Tokens(all), Cost(all));
        AnsiConsole.Write(roles);

        if (project.LastTestRun is { } tests)
        {
            AnsiConsole.MarkupLine($"Generated project's tests: [bold]{tests.Passed} passed, {tests.Failed} failed[/] (exit code {tests.ExitCode}, `{Markup.Escape(string.Join(' ', tests.Command))}`)");
        }

        foreach (var (environment, url) in project.Deployments)
        {
            AnsiConsole.MarkupLine($"Deployed to {Markup.Escape(environment)}: {Markup.Escape(url.ToString())} [grey](stopped when the quickstart exits)[/]");
        }

        AnsiConsole.MarkupLine($"Workspace (a git repository with the team's history): [bold]{Markup.Escape(workspace)}[/]");
        AnsiConsole.MarkupLine($"  see it with: git -C \"{Markup.Escape(workspace)}\" log --oneline");
        AnsiConsole.WriteLine();
        AnsiConsole.MarkupLine("[bold]The lifecycle (Mermaid):[/]");
        AnsiConsole.WriteLine(engine.ToMermaid());
    }

    private static string Tokens(IEnumerable<ModelCallCompleted> calls) =>
        calls.Sum(c => c.InputTokens + c.OutputTokens).ToString("N0", CultureInfo.InvariantCulture);

    private static string Cost(IEnumerable<ModelCallCompleted> calls) =>
        "$" + calls.Sum(c => c.Cost).ToString("0.0000", CultureInfo.InvariantCulture);
}
