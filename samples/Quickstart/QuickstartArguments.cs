using System.Globalization;

namespace Quickstart;

/// <summary>The quickstart's command line: a brief, and options.</summary>
internal sealed record QuickstartArguments(string Brief, IReadOnlyList<string> Criteria, bool AutoApprove, decimal? Budget, string? WorkspaceRoot, string? Database = null, bool Resume = false)
{
    /// <summary>Gets whether the agents' commands may run without the OS sandbox where there is none.</summary>
    public bool Unsandboxed { get; init; }

    /// <summary>Gets the model providers to use, in the order given; empty for the configured one, else the offline model.</summary>
    public IReadOnlyList<ProviderChoice> Providers { get; init; } = [];

    public const string Usage = """
        Usage: dotnet run --project samples/Quickstart -- "<brief>" [options]
               dotnet run --project samples/Quickstart -- --db <file> --resume [--auto-approve]

          <brief>                 What the client wants, in a sentence or a paragraph.
          -c, --criterion <text>  An acceptance criterion (repeat for more). Without any, the team asks.
          --auto-approve          Answer the team's questions and approve the client review automatically
                                  (also the case when input is redirected).
          --budget <dollars>      The project's budget for model calls (default 10).
          --workspace <dir>       Where project workspaces are created (default: the system temp folder).
          --db <file>             Keep the company in this SQLite file (created if missing), so a run stopped
                                  by Ctrl+C, SIGTERM or a crash can be continued; default: in memory only.
          --resume                Continue the unfinished projects in the --db file (paused ones are resumed),
                                  with live progress; takes no brief.
          --unsandboxed           Run the agents' commands without the OS sandbox where there is none
                                  (macOS, Windows, Linux without bubblewrap); otherwise they are refused.
          --provider <name>       The models to use: offline (default, no AI), ollama, openai, anthropic, groq
                                  or openai-compatible. Repeat it to use several: each call goes to the cheapest
                                  that can do it. Keys come from OPENAI_API_KEY, ANTHROPIC_API_KEY, GROQ_API_KEY
                                  (or VirtualItCompany:Providers:<Name>:ApiKey); Ollama from OLLAMA_HOST.
                                  Without --provider: VirtualItCompany:Quickstart:Provider, else offline.
          --model <name>          A model of the provider before it (repeat for more), such as llama3.2.
          --base-url <url>        The address of the provider before it (required for openai-compatible).
          -h, --help              Show this help.

        Examples:
          dotnet run --project samples/Quickstart -- "A todo list service for a small team" --auto-approve
          dotnet run --project samples/Quickstart -- "A todo list service" --provider ollama --model llama3.2
          dotnet run --project samples/Quickstart -- "A todo list service" --provider openai --provider anthropic
        """;

    /// <summary>Parses the arguments; returns null and an error for bad input.</summary>
    public static QuickstartArguments? Parse(string[] args, out string? error)
    {
        error = null;
        string? brief = null;
        var criteria = new List<string>();
        bool auto = false;
        bool unsandboxed = false;
        decimal? budget = null;
        string? workspace = null;
        string? database = null;
        bool resume = false;
        var providers = new List<ProviderChoice>();
        for (int i = 0; i < args.Length; i++)
        {
            string arg = args[i];
            switch (arg)
            {
                case "-h" or "--help":
                    error = "";
                    return null;
                case "--unsandboxed":
                    unsandboxed = true;
                    break;
                case "--auto-approve":
                    auto = true;
                    break;
                case "-c" or "--criterion":
                    if (!TryValue(args, ref i, out var criterion, out error))
                    {
                        return null;
                    }

                    criteria.Add(criterion);
                    break;
                case "--budget":
                    if (!TryValue(args, ref i, out var text, out error))
                    {
                        return null;
                    }

                    if (!decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var value))
                    {
                        error = $"--budget takes a number of dollars, such as 5 or 12.50; '{text}' is not one.";
                        return null;
                    }

                    budget = value;
                    break;
                case "--workspace":
                    if (!TryValue(args, ref i, out workspace, out error))
                    {
                        return null;
                    }

                    break;
                case "--db":
                    if (!TryValue(args, ref i, out database, out error))
                    {
                        return null;
                    }

                    break;
                case "--resume":
                    resume = true;
                    break;
                case "--provider":
                    if (!TryValue(args, ref i, out var name, out error))
                    {
                        return null;
                    }

                    if (!ProviderChoice.Names.Contains(name))
                    {
                        error = $"--provider takes one of {string.Join(", ", ProviderChoice.Names)}; '{name}' is not one.";
                        return null;
                    }

                    providers.Add(new ProviderChoice(name));
                    break;
                case "--model" or "--base-url":
                    if (!TryValue(args, ref i, out var setting, out error))
                    {
                        return null;
                    }

                    if (providers.Count == 0)
                    {
                        error = $"{arg} sets the provider before it: put it after --provider <name>.";
                        return null;
                    }

                    if (arg == "--model")
                    {
                        providers[^1].Models.Add(setting);
                    }
                    else if (Uri.TryCreate(setting, UriKind.Absolute, out var url) && url.Scheme is "http" or "https")
                    {
                        providers[^1] = providers[^1] with { BaseUrl = url };
                    }
                    else
                    {
                        error = $"--base-url takes an http or https address, such as http://127.0.0.1:1234/v1; '{setting}' is not one.";
                        return null;
                    }

                    break;
                default:
                    if (arg.StartsWith('-'))
                    {
                        error = $"Unknown option '{arg}'.";
                        return null;
                    }

                    if (brief is not null)
                    {
                        error = "Give the brief as one argument: put it in quotes.";
                        return null;
                    }

                    brief = arg;
                    break;
            }
        }

        if (resume)
        {
            if (database is null)
            {
                error = "--resume continues the projects kept in a file: give it with --db <file>.";
                return null;
            }

            if (brief is not null || criteria.Count > 0 || budget is not null)
            {
                error = "--resume continues the projects in the --db file; give no brief, criterion or budget (start a new project without --resume).";
                return null;
            }

            return new QuickstartArguments("", criteria, auto, budget, workspace, database, Resume: true) { Providers = providers, Unsandboxed = unsandboxed };
        }

        if (string.IsNullOrWhiteSpace(brief))
        {
            error = "The brief is missing: say what the client wants, in quotes.";
            return null;
        }

        if (providers.FirstOrDefault(p => p.Name == "openai-compatible" && p.BaseUrl is null) is not null)
        {
            error = "--provider openai-compatible needs --base-url <url> (such as http://127.0.0.1:1234/v1 for LM Studio) and --model <name>.";
            return null;
        }

        return new QuickstartArguments(brief.Trim(), criteria, auto, budget, workspace, database) { Providers = providers, Unsandboxed = unsandboxed };
    }

    private static bool TryValue(string[] args, ref int i, out string value, out string? error)
    {
        if (i + 1 >= args.Length || string.IsNullOrWhiteSpace(args[i + 1]))
        {
            value = "";
            error = $"{args[i]} needs a value.";
            return false;
        }

        if (args[i + 1].StartsWith("--", StringComparison.Ordinal) || args[i + 1] is "-h" or "-c")
        {
            // An option where a value belongs is a forgotten value, not a value: '-c --auto-approve' must not build a feature named '--auto-approve'.
            value = "";
            error = $"{args[i]} needs a value, but the next argument is the option '{args[i + 1]}'.";
            return false;
        }

        value = args[++i];
        error = null;
        return true;
    }
}
