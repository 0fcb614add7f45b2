using System.Text.Json;
using Microsoft.Extensions.AI;

namespace VirtualItCompany.Providers.Offline.Tests;

/// <summary>Requests written in another style than the built-in agents' (other headings, bold labels, <c>Title:</c> lines, schemas of other names with snake_case properties) get answers of the same quality.</summary>
public sealed class OtherPromptStylesTests
{
    private const string RecipeBrief = """
        **Project:** Recipe box
        **Overview:** A place where a family keeps its recipes. Everyone can add one.

        ### Must-haves
        * Users can save a recipe
        * Users can search recipes by ingredient
        """;

    private static readonly IChatClient Offline = OfflineModel.CreateChatClient();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<JsonElement> AskAsync(string system, string user, string schemaName, string schema)
    {
        var options = new ChatOptions { ResponseFormat = ChatResponseFormat.ForJsonSchema(JsonDocument.Parse(schema).RootElement, schemaName) };
        var response = await Offline.GetResponseAsync([new(ChatRole.System, system), new(ChatRole.User, user)], options, Ct);
        return JsonDocument.Parse(response.Text).RootElement;
    }

    private static string[] Strings(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetString()!)];

    private const string AnalysisSchema = """
        {"type":"object","properties":{
          "project_summary":{"type":"string"},
          "must_haves":{"type":"array","items":{"type":"string"},"description":"The acceptance criteria."},
          "questions_for_client":{"type":"array","items":{"type":"string"}}}}
        """;

    [Fact]
    public async Task Requirements_take_the_criteria_from_a_brief_with_bold_labels_and_a_level_3_heading()
    {
        var answer = await AskAsync("You analyse briefs for a software agency.", "Analyse this brief.\n\n" + RecipeBrief, "BriefAnalysis", AnalysisSchema);

        Assert.Equal(["Users can save a recipe", "Users can search recipes by ingredient"], Strings(answer.GetProperty("must_haves")));
        Assert.Empty(Strings(answer.GetProperty("questions_for_client")));
        Assert.StartsWith("Recipe box: A place where a family keeps its recipes.", answer.GetProperty("project_summary").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Requirements_ask_a_question_when_a_brief_in_label_lines_has_no_criteria_and_take_the_answers_once_given()
    {
        const string brief = "Title: Recipe box\nDescription: A place where a family keeps its recipes.\n";

        var question = await AskAsync("", "Analyse this brief.\n\n" + brief, "BriefAnalysis", AnalysisSchema);
        var answered = await AskAsync("", "Analyse this brief.\n\n" + brief + "\n## Answers\n- It saves recipes. It prints them.", "BriefAnalysis", AnalysisSchema);

        Assert.Empty(Strings(question.GetProperty("must_haves")));
        Assert.Contains("\"Recipe box\"", Assert.Single(Strings(question.GetProperty("questions_for_client"))), StringComparison.Ordinal);
        Assert.Equal(["It saves recipes.", "It prints them."], Strings(answered.GetProperty("must_haves")));
        Assert.Empty(Strings(answered.GetProperty("questions_for_client")));
    }

    [Fact]
    public async Task Features_are_planned_from_the_criteria_into_a_schema_of_another_name_and_shape()
    {
        const string schema = """
            {"type":"object","properties":{"planned_features":{"type":"array","items":{"type":"object","properties":{
              "title":{"type":"string"},"details":{"type":"string"}}}}}}
            """;

        var answer = await AskAsync("Break the project down into features.", RecipeBrief, "Roadmap", schema);

        var features = answer.GetProperty("planned_features").EnumerateArray().ToList();
        Assert.Equal(["Save recipe", "Search recipes by"], features.Select(f => f.GetProperty("title").GetString()));
        Assert.Equal("Users can save a recipe", features[0].GetProperty("details").GetString());
    }

    [Fact]
    public async Task A_review_names_the_planned_features_missing_from_the_source_files()
    {
        const string prompt = """
            Review the code below.

            # Features
            1. List todos: lists the todos
            2. Add todo: adds a todo

            **Source files**
            ### Service/Features/ListTodosFeature.cs
            ```csharp
            // Title: List todos
            ```
            """;
        const string schema = """{"type":"object","properties":{"is_approved":{"type":"boolean"},"issues":{"type":"array","items":{"type":"string"}}}}""";

        var answer = await AskAsync("You are a strict reviewer.", prompt, "Verdict", schema);

        Assert.False(answer.GetProperty("is_approved").GetBoolean());
        Assert.Contains("\"Add todo\" is not implemented: add Service/Features/AddTodoFeature.cs", Assert.Single(Strings(answer.GetProperty("issues"))), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_schema_properties_decide_the_answer_not_the_schema_name()
    {
        const string schema = """{"type":"object","properties":{"approved":{"type":"boolean"},"comments":{"type":"array","items":{"type":"string"}}}}""";

        var answer = await AskAsync("", "## Planned Features\n- List todos: lists them\n\n## Files\n- Service/Features/ListTodosFeature.cs", "Requirements", schema);

        Assert.True(answer.GetProperty("approved").GetBoolean());
        Assert.Empty(Strings(answer.GetProperty("comments")));
    }

    [Theory]
    [InlineData("# Task: write the design notes", "Notes", true)]
    [InlineData("# Task: capture the requirements", "Notes", false)]
    [InlineData("Title: Recipe box", "DesignNotes", true)]
    [InlineData("Title: Recipe box", "ClarifyingQuestions", false)]
    public async Task When_the_properties_fit_two_answers_equally_the_task_then_the_schema_name_decides(string prompt, string schemaName, bool design)
    {
        const string schema = """{"type":"object","properties":{"summary":{"type":"string"},"notes":{"type":"array","items":{"type":"string"}},"questions":{"type":"array","items":{"type":"string"}}}}""";

        var answer = await AskAsync("", prompt, schemaName, schema);

        // The other answer's property is there, empty: the offline model does not fill what it does not know.
        Assert.Equal(design ? JsonValueKind.Array : JsonValueKind.Null, answer.GetProperty("notes").ValueKind);
        Assert.Equal(design ? JsonValueKind.Null : JsonValueKind.Array, answer.GetProperty("questions").ValueKind);
    }

    [Fact]
    public async Task A_deployment_plan_reads_the_environment_from_a_label_line_and_fills_other_property_names()
    {
        const string schema = """
            {"type":"object","properties":{"build":{"type":"array","items":{"type":"string"}},"run_command":{"type":"array","items":{"type":"string"}},
              "health_check_url":{"type":"string"},"notes":{"type":"string"}}}
            """;

        var answer = await AskAsync("", "How do we build and start it?\n\nProject: Recipe box\nEnvironment: production", "HowToRun", schema);

        Assert.Equal(["dotnet", "build", "Service/Service.csproj", "-c", "Release", "-o", "out/production"], Strings(answer.GetProperty("build")));
        Assert.Equal(["dotnet", "out/production/Service.dll"], Strings(answer.GetProperty("run_command")));
        Assert.Equal("/health", answer.GetProperty("health_check_url").GetString());
        Assert.Equal(JsonValueKind.Null, answer.GetProperty("notes").ValueKind);
    }

    [Theory]
    [InlineData("You are a developer. Implement the feature described below.", "**Feature:** List todos\n**Feature description:** Lists \"all\" todos.\nTitle: Todo API", "Service/Features/ListTodosFeature.cs")]
    [InlineData("", "Implement this feature.\n\nProject name: Todo API\nFeature: List todos: lists the todos", "Service/Features/ListTodosFeature.cs")]
    [InlineData("You are the QA engineer.", "Write the tests for this service.\n\n# Todo API\n\n## Features\n- List todos: lists the todos", "Tests/Program.cs")]
    [InlineData("", "Set up the repository.\n\nName: Todo API\nAbout: Keeps todos.", "Service/Program.cs")]
    public async Task With_file_tools_the_task_is_read_from_the_words_of_the_request(string system, string user, string expectedPath)
    {
        var written = new Dictionary<string, string>();
        var writeFile = AIFunctionFactory.Create((string path, string content) => written[path] = content, "write_file");
        using var client = new ChatClientBuilder(OfflineModel.CreateChatClient()).UseFunctionInvocation().Build();

        await client.GetResponseAsync([new(ChatRole.System, system), new(ChatRole.User, user)], new ChatOptions { Tools = [writeFile] }, Ct);

        Assert.Contains(expectedPath, written.Keys);
        Assert.All(written.Values.Where(v => v.Contains("namespace", StringComparison.Ordinal)), v => Assert.Contains("namespace TodoAPIService", v, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_note_to_the_client_reads_the_project_and_the_address_from_label_lines()
    {
        var response = await Offline.GetResponseAsync("Write a short note to our client: staging is up.\n\nProject: Recipe box\nURL: http://127.0.0.1:5000/", cancellationToken: Ct);

        Assert.Equal("[Offline model, no AI] Hello! The staging deployment of \"Recipe box\" is running at http://127.0.0.1:5000/. Please try it and approve it for production, or tell us what to change.", response.Text);
    }

    [Fact]
    public async Task A_request_it_cannot_answer_still_gets_the_plain_offline_answer()
    {
        var response = await Offline.GetResponseAsync("Say hello to the client.", cancellationToken: Ct);

        Assert.StartsWith("[Offline model, no AI] This answer comes from the offline stand-in model", response.Text, StringComparison.Ordinal);
    }
}
