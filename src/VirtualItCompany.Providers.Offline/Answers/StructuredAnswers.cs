using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using VirtualItCompany.Providers.Offline.Template;

namespace VirtualItCompany.Providers.Offline.Answers;

/// <summary>Answers structured-output requests, recognised by the schema's properties (and their descriptions), not its name.</summary>
/// <remarks>
/// Each kind of answer has roles (a requirements answer has a summary, acceptance criteria and open questions); the schema's
/// properties are bound to roles loosely (see <see cref="SchemaShape"/>), and the kind whose roles fit best is answered.
/// A tie goes to the kind the prompt's task asks for, then to the one the schema's name and description speak of.
/// </remarks>
internal static class StructuredAnswers
{
    private static readonly HashSet<string> FillerWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "a", "an", "the", "user", "users", "client", "clients", "can", "could", "should", "must", "shall", "will", "be", "able", "to",
        "is", "are", "it", "its", "their", "his", "her", "of", "and", "or", "i", "we", "you", "so", "that", "there", "has", "have",
    };

    private static readonly SchemaShape.PropertyRole Summary = new("Summary", false, ["overview", "description", "abstract", "requirementsSummary", "designSummary"], ["summary", "overview", "paragraph"]);

    private static readonly AnswerKind[] Kinds =
    [
        new(TaskKind.CaptureRequirements, Requirements,
        [
            Summary,
            new("AcceptanceCriteria", true, ["criteria", "requirements", "successCriteria", "mustHaves", "conditions"], ["acceptance criteria", "criteria", "requirement"]),
            new("OpenQuestions", true, ["questions", "clarifications", "clarifyingQuestions", "questionsForClient", "questionsForTheClient"], ["question"]),
        ]),
        new(TaskKind.PlanFeatures, Plan,
        [
            new("Features", true, ["plannedFeatures", "featureList", "workItems", "stories", "userStories", "epics"], ["feature"]),
        ]),
        new(TaskKind.Design, Design,
        [
            Summary,
            new("Guidelines", true, ["rules", "conventions", "principles", "designGuidelines", "designRules", "designNotes", "notes"], ["guideline", "rule", "convention"]),
        ]),
        new(TaskKind.Review, Review,
        [
            new("Approved", true, ["approve", "approval", "accepted", "accept", "lgtm", "pass", "passed", "ok", "isApproved"], ["approved", "approve", "approval"]),
            new("Comments", true, ["changes", "requestedChanges", "changesRequested", "issues", "problems", "findings", "remarks", "feedback", "reviewComments"], ["comment", "change", "issue", "problem", "finding"]),
        ]),
        new(TaskKind.PlanDeployment, Deployment,
        [
            new("BuildCommand", true, ["build", "buildArgs", "buildArguments", "buildCmd"], ["build command", "build"]),
            new("StartCommand", true, ["start", "run", "runCommand", "launchCommand", "launch", "startCmd", "startArgs", "startArguments", "runCmd"], ["start command", "start", "launch"]),
            new("HealthPath", true, ["health", "healthCheck", "healthCheckPath", "healthEndpoint", "healthUrl", "healthRoute", "healthCheckUrl"], ["health"]),
        ]),
        new(TaskKind.ChooseTestCommand, TestCommand,
        [
            new("Arguments", true, ["args", "argv", "command", "testCommand", "cmd", "commandLine", "testArgs", "testArguments", "testCmd"], ["command", "argument"]),
        ]),
    ];

    private static readonly SchemaShape.PropertyRole[] FeatureRoles =
    [
        new("Name", true, ["title", "featureName", "label"], ["name", "title"]),
        new("Description", false, ["summary", "details", "detail", "what"], ["description", "what"]),
    ];

    /// <summary>Gets the JSON answer to a structured-output request.</summary>
    public static string Answer(OfflineRequest request, ChatResponseFormatJson format, OfflineModelOptions options)
    {
        var shape = SchemaShape.Of(format.Schema);
        var fits = Kinds.Select(k => (Kind: k, Binding: shape.Bind(k.Roles))).Select(f => (f.Kind, f.Binding, Score: f.Binding.Score(f.Kind.Roles))).Where(f => f.Score > 0).ToList();
        if (fits.Count == 0)
        {
            return Unknown(shape).ToJsonString(OfflineJsonContext.AnswerOptions);
        }

        int best = fits.Max(f => f.Score);
        var tied = fits.Where(f => f.Score == best).ToList();
        var (kind, binding, _) = tied[0];
        if (tied.Count > 1)
        {
            var tasks = tied.Select(f => f.Kind.Task).ToArray();
            var task = request.Sections.TaskAmong(tasks) is var t && t != TaskKind.None ? t
                : PromptTask.Read($"{Spaced(format.SchemaName ?? "")}. {format.SchemaDescription}. {shape.Description}", tasks);
            (kind, binding, _) = tied.Find(f => f.Kind.Task == task) is { Kind: not null } chosen ? chosen : tied[0];
        }

        var answer = kind.Build(new Context(request.Sections, shape, binding, options));
        foreach (var name in binding.Unbound.Where(n => !answer.ContainsKey(n)))
        {
            answer[name] = null; // a property the offline model cannot fill: valid JSON a caller can reject
        }

        return answer.ToJsonString(OfflineJsonContext.AnswerOptions);
    }

    private static JsonObject Requirements(Context c)
    {
        var s = c.Sections;
        string title = s.Title;
        var answers = s.Items(Section.ClientAnswers);
        var criteria = s.Criteria().Concat(TextParts.Sentences(answers)).Distinct(StringComparer.Ordinal).ToList();
        var questions = new List<string>();
        if (criteria.Count == 0)
        {
            questions.Add($"Which capabilities must the first version of \"{title}\" have? Please list them, one per line.");
        }

        string summary = $"{title}: {TextParts.FirstSentence(s.Description)} (offline model, no AI: criteria taken from the brief and the client's answers as written).";
        return new JsonObject
        {
            [c.Name("Summary")] = summary,
            [c.Name("AcceptanceCriteria")] = c.List("AcceptanceCriteria", criteria),
            [c.Name("OpenQuestions")] = c.List("OpenQuestions", questions),
        };
    }

    private static JsonObject Plan(Context c)
    {
        var s = c.Sections;
        // What to plan from: the criteria; else a features list of the prompt's own; else the brief in a sentence.
        var wanted = s.Criteria().Select(criterion => ((string?)null, criterion)).ToList();
        if (wanted.Count == 0)
        {
            wanted = [.. s.Items(Section.PlannedFeatures).Select(item => PromptSections.SplitNamed(item) is { } named ? (named.Name, named.Description) : ((string?)null, item))];
        }

        if (wanted.Count == 0)
        {
            wanted = [(null, TextParts.FirstSentence(s.Description) is { Length: > 0 } d ? d : s.Title)];
        }

        string property = c.Name("Features");
        var item = c.Shape.Items(property);
        var itemBinding = item.Bind(FeatureRoles);
        var taken = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var features = new JsonArray();
        foreach (var (given, description) in wanted.Take(c.Options.MaxFeatures))
        {
            string name = UniqueName(given is { Length: > 0 } ? given : ShortName(description, features.Count + 1), taken);
            features.Add(item.IsString
                ? JsonValue.Create(name)
                : new JsonObject { [itemBinding.Name("Name")] = name, [itemBinding.Name("Description")] = description.ReplaceLineEndings(" ") });
        }

        return new JsonObject { [property] = features };
    }

    private static JsonObject Design(Context c) => new()
    {
        [c.Name("Summary")] = $"A small ASP.NET Core minimal-API service for \"{c.Sections.Title}\": one class per feature, JSON answers, a health endpoint (offline model, no AI).",
        [c.Name("Guidelines")] = c.List("Guidelines",
        [
            "The service lives in Service/ and listens on 127.0.0.1 at the port in the PORT environment variable.",
            "GET /health answers 200 with the text ok; GET / answers JSON with the title, the description and the features.",
            "Each planned feature is one class implementing IFeature in Service/Features/{Name}Feature.cs, answering GET /features/{slug} with JSON.",
            "Texts from the brief are kept as written; no NuGet packages, so the build needs no network.",
            "Tests live in Tests/: a console runner that starts the service in-process and prints \"N passed, N failed\".",
        ]),
    };

    private static JsonObject Review(Context c)
    {
        var files = c.Sections.FilePaths();
        var comments = c.Sections.Features()
            .Where(f => !files.Contains(CodeNames.FeaturePath(f.Name)))
            .Select(f => $"The planned feature \"{f.Name}\" is not implemented: add {CodeNames.FeaturePath(f.Name)} implementing IFeature.")
            .ToList();
        return new JsonObject { [c.Name("Approved")] = comments.Count == 0, [c.Name("Comments")] = c.List("Comments", comments) };
    }

    private static JsonObject Deployment(Context c)
    {
        string environment = PromptSections.Unwrap(c.Sections.FirstLine(Section.Environment)) is { Length: > 0 } e ? e : "staging";
        return new JsonObject
        {
            [c.Name("BuildCommand")] = c.List("BuildCommand", ServiceTemplate.BuildCommand(environment), " "),
            [c.Name("StartCommand")] = c.List("StartCommand", ServiceTemplate.StartCommand(environment), " "),
            [c.Name("HealthPath")] = ServiceTemplate.HealthPath,
        };
    }

    private static JsonObject TestCommand(Context c) =>
        new() { [c.Name("Arguments")] = c.List("Arguments", ServiceTemplate.TestCommand, " ") };

    private static string ShortName(string criterion, int number)
    {
        var words = criterion.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)
            .Select(w => w.Trim(',', '.', ';', ':', '!', '?', '"', '\'', '(', ')', '[', ']', '{', '}', '`', '*'))
            .Where(w => w.Length > 0 && w.Any(char.IsLetterOrDigit) && !FillerWords.Contains(w))
            .Take(3)
            .ToList();
        if (words.Count == 0)
        {
            return $"Feature {number}";
        }

        string name = string.Join(' ', words);
        return char.ToUpperInvariant(name[0]) + name[1..];
    }

    // Names must differ as class names and routes too, not only as text.
    private static string UniqueName(string name, HashSet<string> taken)
    {
        string candidate = name;
        for (int n = 2; taken.Contains(CodeNames.FeatureClass(candidate)) || taken.Contains(CodeNames.FeatureRoute(candidate)); n++)
        {
            candidate = $"{name} {n}";
        }

        taken.Add(CodeNames.FeatureClass(candidate));
        taken.Add(CodeNames.FeatureRoute(candidate));
        return candidate;
    }

    // "ReviewVerdict" reads as "Review Verdict".
    private static string Spaced(string name) =>
        string.Concat(name.Select((ch, i) => i > 0 && char.IsUpper(ch) && char.IsLower(name[i - 1]) ? " " + ch : ch.ToString()));

    // An unknown schema gets its properties with empty values: valid JSON a caller can reject.
    private static JsonObject Unknown(SchemaShape shape)
    {
        var answer = new JsonObject();
        foreach (var name in shape.Names)
        {
            answer[name] = null;
        }

        return answer;
    }

    /// <summary>A kind of answer: the task it answers, how it is built, and the roles of its properties.</summary>
    private sealed record AnswerKind(TaskKind Task, Func<Context, JsonObject> Build, SchemaShape.PropertyRole[] Roles);

    /// <summary>What an answer is built from: the prompts, the schema, and which schema property holds each role.</summary>
    private sealed record Context(PromptSections Sections, SchemaShape Shape, SchemaBinding Binding, OfflineModelOptions Options)
    {
        public string Name(string logical) => Binding.Name(logical);

        // A list, as an array; or as one text when the schema declares the property a string.
        public JsonNode List(string logical, IEnumerable<string> items, string separator = "\n") =>
            Shape.IsStringProperty(Name(logical))
                ? JsonValue.Create(string.Join(separator, items))
                : new JsonArray([.. items.Select(i => (JsonNode?)JsonValue.Create(i))]);
    }
}
