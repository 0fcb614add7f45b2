using System.Globalization;
using Spectre.Console;
using VirtualItCompany;

namespace Quickstart;

/// <summary>Prints each event as a line of live progress.</summary>
internal sealed class ProgressView(ProjectBrief brief, string? label = null)
{
    private DateTimeOffset? _first;

    public void Show(ProjectEvent e)
    {
        _first ??= e.Timestamp;
        var at = (e.Timestamp - _first.Value).TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture).PadLeft(5);
        string line = e switch
        {
            ProjectCreated => $"[bold]Project created[/] for {Esc(brief.Client)}, budget ${brief.Budget?.ToString("0.00", CultureInfo.InvariantCulture) ?? "default"}",
            StageChanged s => $"[bold blue]== {Esc(s.To.Value)}[/] [grey]({Esc(s.Trigger.Value)})[/]",
            WorkItemScheduled s => $"   [grey]scheduled[/] {Esc(s.Item.DisplayName)}",
            ModelCallCompleted c => $"   [cyan]{Esc(c.Role.Value),-13}[/] called [yellow]{Esc(c.ModelId)}[/] [grey]({Esc(c.Provider)})[/]: {c.InputTokens}+{c.OutputTokens} tokens, ${c.Cost.ToString("0.0000", CultureInfo.InvariantCulture)}"
                + (c.Routing is { } r ? $" [grey]- routed: {Esc(r.Reason)}{(r.FailedOver.Count > 0 ? $" (after {Esc(string.Join(", ", r.FailedOver))} failed)" : "")}[/]" : ""),
            WorkItemCompleted c => $"   [cyan]{Esc(c.Role.Value),-13}[/] [green]done[/] {Esc(c.Summary)} [grey]({c.Duration.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)}s)[/]",
            WorkItemFailed f => $"   [cyan]{Esc(f.Role.Value),-13}[/] [red]failed[/] {Esc(f.Reason)}{(f.WillRetry ? " [grey](will retry)[/]" : "")}",
            TestsRun t => $"   [bold]tests ran[/]: exit code {t.ExitCode}, {t.Passed} passed, {t.Failed} failed",
            ClientInputRequested q => $"[bold magenta]?? the team asks the client ({q.Kind}):[/] {Esc(q.Question)}",
            ProjectCompleted => "[bold green]Project completed[/]",
            ProjectCancelled c => $"[bold red]Project cancelled[/]: {Esc(c.Reason)}",
            ProjectPaused p => $"[bold yellow]Project paused[/]: {Esc(p.Reason)}",
            BudgetIncreased b => $"[bold]Budget increased[/] by ${b.Amount.ToString("0.##", CultureInfo.InvariantCulture)} to ${b.NewBudget.ToString("0.##", CultureInfo.InvariantCulture)}",
            _ => $"   {Esc(e.Description)}",
        };
        AnsiConsole.MarkupLine(label is null ? $"[grey]{at}s[/] {line}" : $"[grey]{at}s[/] [bold]{Esc(label)}[/] {line}");
    }

    private static string Esc(string text) => Markup.Escape(text);
}
