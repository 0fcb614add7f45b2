using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using VirtualItCompany.Providers.Offline.Template;

namespace VirtualItCompany.Providers.Offline.Answers;

/// <summary>Answers structured-output requests, recognised by the schema's name and properties.</summary>
internal static class StructuredAnswers
{
    private static readonly HashSet<string> FillerWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "a", "an", "the", "user", "users", "client", "clients", "can", "could", "should", "must", "shall", "will", "be", "able", "to",
        "is", "are", "it", "its", "their", "his", "her", "of", "and", "or", "i", "we", "you", "so", "that", "there", "has", "have",
    };

    /// <summary>Gets the JSON answer to a structured-output request.</summary>
    public static string Answer(OfflineRequest request, ChatResponseFormatJson format, OfflineModelOptions options)
    {
        var shape = SchemaShape.Of(format.Schema);
        string name = format.SchemaName ?? "";
        var s = request.Sections;
        JsonObject answer =
            Is(name, "Requirements") || shape.Has("OpenQuestions", "AcceptanceCriteria") ? Requirements(s, shape)
            : Is(name, "ProjectPlan") || shape.Has("Features") ? Plan(s, shape, options.MaxFeatures)
            : Is(name, "DesignNotes") || shape.Has("Guidelines") ? Design(s, shape)
            : Is(name, "ReviewVerdict") || shape.Has("Approved", "Comments") ? Review(s, shape)
            : Is(name, "DeploymentPlan") || shape.Has("StartCommand") ? Deployment(s, shape)
            : Is(name, "TestCommand") || shape.Has("Arguments") ? new JsonObject { [shape.Name("Arguments")] = Array(ServiceTemplate.TestCommand) }
            : Unknown(shape);
        return answer.ToJsonString(OfflineJsonContext.AnswerOptions);
    }

    private static JsonObject Requirements(PromptSections s, SchemaShape shape)
    {
        string title = s.Text(PromptSections.BriefTitle);
        var answers = s.Items(PromptSections.ClientAnswers);
        var criteria = s.Items(PromptSections.AcceptanceCriteria).Concat(TextParts.Sentences(answers)).Distinct(StringComparer.Ordinal).ToList();
        var questions = new List<string>();
        if (criteria.Count == 0)
        {
            questions.Add($"Which capabilities must the first version of \"{title}\" have? Please list them, one per line.");
        }

        string summary = $"{title}: {TextParts.FirstSentence(s.Text(PromptSections.BriefDescription))} (offline model, no AI: criteria taken from the brief and the client's answers as written).";
        return new JsonObject
        {
            [shape.Name("Summary")] = summary,
            [shape.Name("AcceptanceCriteria")] = Array(criteria),
            [shape.Name("OpenQuestions")] = Array(questions),
        };
    }

    private static JsonObject Plan(PromptSections s, SchemaShape shape, int maxFeatures)
    {
        var criteria = s.Items(PromptSections.AcceptanceCriteria);
        if (criteria.Count == 0)
        {
            criteria = [TextParts.FirstSentence(s.Text(PromptSections.BriefDescription)) is { Length: > 0 } d ? d : s.Text(PromptSections.BriefTitle)];
        }

        var item = shape.Items("Features");
        var taken = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var features = new JsonArray();
        foreach (var criterion in criteria.Take(maxFeatures))
        {
            string name = UniqueName(ShortName(criterion, features.Count + 1), taken);
            features.Add((JsonNode)new JsonObject { [item.Name("Name")] = name, [item.Name("Description")] = criterion.ReplaceLineEndings(" ") });
        }

        return new JsonObject { [shape.Name("Features")] = features };
    }

    private static JsonObject Design(PromptSections s, SchemaShape shape) => new()
    {
        [shape.Name("Summary")] = $"A small ASP.NET Core minimal-API service for \"{s.Text(PromptSections.BriefTitle)}\": one class per feature, JSON answers, a health endpoint (offline model, no AI).",
        [shape.Name("Guidelines")] = Array(
        [
            "The service lives in Service/ and listens on 127.0.0.1 at the port in the PORT environment variable.",
            "GET /health answers 200 with the text ok; GET / answers JSON with the title, the description and the features.",
            "Each planned feature is one class implementing IFeature in Service/Features/{Name}Feature.cs, answering GET /features/{slug} with JSON.",
            "Texts from the brief are kept as written; no NuGet packages, so the build needs no network.",
            "Tests live in Tests/: a console runner that starts the service in-process and prints \"N passed, N failed\".",
        ]),
    };

    private static JsonObject Review(PromptSections s, SchemaShape shape)
    {
        var files = new HashSet<string>(s.Items(PromptSections.Files), StringComparer.Ordinal);
        foreach (var line in s.Text(PromptSections.SourceFiles).Split('\n'))
        {
            if (line.StartsWith("### ", StringComparison.Ordinal))
            {
                files.Add(line[4..].Trim());
            }
        }

        var comments = s.Features()
            .Where(f => !files.Contains(CodeNames.FeaturePath(f.Name)))
            .Select(f => $"The planned feature \"{f.Name}\" is not implemented: add {CodeNames.FeaturePath(f.Name)} implementing IFeature.")
            .ToList();
        return new JsonObject { [shape.Name("Approved")] = comments.Count == 0, [shape.Name("Comments")] = Array(comments) };
    }

    private static JsonObject Deployment(PromptSections s, SchemaShape shape)
    {
        string environment = s.Text(PromptSections.Environment).Split('\n')[0].Trim() is { Length: > 0 } e ? e : "staging";
        return new JsonObject
        {
            [shape.Name("BuildCommand")] = Array(ServiceTemplate.BuildCommand(environment)),
            [shape.Name("StartCommand")] = Array(ServiceTemplate.StartCommand(environment)),
            [shape.Name("HealthPath")] = ServiceTemplate.HealthPath,
        };
    }

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

    private static bool Is(string schemaName, string expected) => schemaName.Contains(expected, StringComparison.OrdinalIgnoreCase);

    private static JsonArray Array(IEnumerable<string> items) => new([.. items.Select(i => (JsonNode?)JsonValue.Create(i))]);
}
