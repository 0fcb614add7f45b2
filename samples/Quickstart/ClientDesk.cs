using Spectre.Console;
using VirtualItCompany;

namespace Quickstart;

/// <summary>Plays the client: asks on the terminal, or answers and approves automatically.</summary>
internal sealed class ClientDesk(IDeliveryCompany company, bool auto, ProjectBrief brief)
{
    public async Task RespondAsync(ProjectId id, ClientInputRequested request, CancellationToken cancellationToken)
    {
        switch (request.Kind)
        {
            case ClientInputKind.Clarification:
                var answer = auto ? BriefText.AsCapabilities(brief.Description) : AnsiConsole.Ask<string>("[bold]Your answer:[/]");
                if (auto)
                {
                    AnsiConsole.MarkupLine($"  [grey](auto-answered with the brief's own sentences: {Markup.Escape(answer)})[/]");
                }

                await company.AnswerAsync(id, answer, cancellationToken);
                break;

            case ClientInputKind.Review:
                if (auto || AnsiConsole.Confirm("[bold]Approve the staging deployment for production?[/]"))
                {
                    if (auto)
                    {
                        AnsiConsole.MarkupLine("  [grey](auto-approved)[/]");
                    }

                    await company.ApproveAsync(id, auto ? "auto-approved by the quickstart" : null, cancellationToken);
                }
                else
                {
                    await company.RequestChangesAsync(id, AnsiConsole.Ask<string>("[bold]What should change?[/]"), cancellationToken);
                }

                break;

            case ClientInputKind.Budget:
                decimal shortfall = request.BudgetShortfall ?? 1m;
                if (auto)
                {
                    // Spending more money is never automatic.
                    AnsiConsole.MarkupLine($"  [yellow]The project needs at least ${shortfall:0.####} more; unattended, the quickstart stops here. Run again with a larger --budget.[/]");
                    await company.PauseAsync(id, "waiting for budget; the quickstart ran unattended", cancellationToken);
                }
                else
                {
                    var amount = AnsiConsole.Prompt(new TextPrompt<decimal>($"[bold]Add how many dollars to the budget?[/] (at least {shortfall:0.####}, 0 to stop)").DefaultValue(Math.Ceiling(shortfall)));
                    if (amount > 0)
                    {
                        await company.AddBudgetAsync(id, amount, cancellationToken);
                    }
                    else
                    {
                        await company.PauseAsync(id, "the client added no budget", cancellationToken);
                    }
                }

                break;

            default:
                if (auto)
                {
                    AnsiConsole.MarkupLine("  [grey](the quickstart cancels a project that needs a human decision when running unattended)[/]");
                    await company.CancelAsync(id, "needs a human decision; the quickstart ran unattended", cancellationToken);
                }
                else
                {
                    await company.AnswerAsync(id, AnsiConsole.Ask<string>("[bold]Your decision:[/]"), cancellationToken);
                }

                break;
        }
    }
}
