using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using VirtualItCompany.Agents;

namespace VirtualItCompany.Providers.Offline.Tests;

public sealed class OfflineChatClientTests
{
    private static readonly IChatClient Offline = OfflineModel.CreateChatClient();

    private static string RequirementsPrompt(params string[] answers) => new PromptDocument("capture the requirements")
        .Brief(new ProjectBrief { Title = "Todo API", Description = "A small todo service. It keeps todos." })
        .List("Acceptance criteria", [])
        .List("Client answers", answers)
        .ToString();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void It_is_labelled_offline_no_AI_and_free()
    {
        var metadata = Offline.GetService<ChatClientMetadata>();

        Assert.NotNull(metadata);
        Assert.Equal("offline (no AI)", metadata.ProviderName);
        Assert.Equal("offline-no-ai", metadata.DefaultModelId);
        Assert.Same(ModelPricing.Free, Offline.GetService<ModelPricing>());
    }

    [Fact]
    public async Task Plain_text_answers_say_they_come_from_the_offline_model()
    {
        var response = await Offline.GetResponseAsync("What is the capital of France?", cancellationToken: Ct);

        Assert.Equal("offline-no-ai", response.ModelId);
        Assert.Contains("Offline model, no AI", response.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_same_request_gets_the_same_response()
    {
        var first = await Offline.GetResponseAsync<Requirements>(RequirementsPrompt("It lists todos."), cancellationToken: Ct);
        var second = await Offline.GetResponseAsync<Requirements>(RequirementsPrompt("It lists todos."), cancellationToken: Ct);

        Assert.Equal(first.Text, second.Text);
        Assert.Equal(first.ResponseId, second.ResponseId);
    }

    [Fact]
    public async Task Usage_counts_about_four_characters_a_token()
    {
        string prompt = "Say hello to the client.";

        var response = await Offline.GetResponseAsync(prompt, cancellationToken: Ct);

        var usage = Assert.IsType<UsageDetails>(response.Usage);
        Assert.Equal((prompt.Length + 1 + 3) / 4, usage.InputTokenCount); // the text and its line end, rounded up
        Assert.Equal((response.Text.Length + 3) / 4, usage.OutputTokenCount);
        Assert.Equal(usage.InputTokenCount + usage.OutputTokenCount, usage.TotalTokenCount);
    }

    [Fact]
    public async Task Requirements_without_criteria_or_answers_ask_one_question()
    {
        var response = await Offline.GetResponseAsync<Requirements>(RequirementsPrompt(), cancellationToken: Ct);

        var requirements = response.Result;
        Assert.Empty(requirements.AcceptanceCriteria);
        var question = Assert.Single(requirements.OpenQuestions);
        Assert.Contains("Todo API", question, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Requirements_take_one_criterion_per_sentence_or_line_of_the_answers()
    {
        var response = await Offline.GetResponseAsync<Requirements>(RequirementsPrompt("It lists todos. It adds a todo.\n- It deletes a todo"), cancellationToken: Ct);

        Assert.Equal(["It lists todos.", "It adds a todo.", "It deletes a todo"], response.Result.AcceptanceCriteria);
        Assert.Empty(response.Result.OpenQuestions);
    }

    [Fact]
    public async Task Structured_answers_deserialize_into_the_agents_types()
    {
        string features = new PromptDocument("x").Features([new("List todos", "Lists todos.")]).ToString();

        var plan = (await Offline.GetResponseAsync<ProjectPlan>(new PromptDocument("plan").List("Acceptance criteria", ["Users can list todos"]).ToString(), cancellationToken: Ct)).Result;
        var design = (await Offline.GetResponseAsync<DesignNotes>(new PromptDocument("design").Section("Brief title", "Todo API").ToString(), cancellationToken: Ct)).Result;
        var verdict = (await Offline.GetResponseAsync<ReviewVerdict>(new PromptDocument("review").ToString() + features, cancellationToken: Ct)).Result;
        var deployment = (await Offline.GetResponseAsync<DeploymentPlan>(new PromptDocument("deploy").Section("Environment", "production").ToString(), cancellationToken: Ct)).Result;
        var test = (await Offline.GetResponseAsync<TestCommand>("How do I run the tests?", cancellationToken: Ct)).Result;

        Assert.Equal("List todos", Assert.Single(plan.Features).Name);
        Assert.NotEmpty(design.Guidelines);
        Assert.False(verdict.Approved);
        Assert.Contains("Service/Features/ListTodosFeature.cs", Assert.Single(verdict.Comments), StringComparison.Ordinal);
        Assert.Equal(["dotnet", "build", "Service/Service.csproj", "-c", "Release", "-o", "out/production"], deployment.BuildCommand);
        Assert.Equal(["dotnet", "out/production/Service.dll"], deployment.StartCommand);
        Assert.Equal("/health", deployment.HealthPath);
        Assert.Equal(["dotnet", "run", "--project", "Tests/Tests.csproj"], test.Arguments);
    }

    [Fact]
    public async Task Plans_have_one_feature_per_criterion_with_short_unique_names_up_to_the_limit_and_numbered_names_for_wordless_criteria()
    {
        string[] criteria = ["Users can list todos", "Users can list todos!", "★", "Add a todo with a due date and a priority", "5", "6", "7"];

        var plan = (await Offline.GetResponseAsync<ProjectPlan>(new PromptDocument("plan").List("Acceptance criteria", criteria).ToString(), cancellationToken: Ct)).Result;

        Assert.Equal(["List todos", "List todos 2", "Feature 3", "Add todo with", "5", "6"], plan.Features.Select(f => f.Name));
        Assert.Equal(criteria[..6], plan.Features.Select(f => f.Description));
    }

    [Fact]
    public async Task With_file_tools_it_calls_write_file_then_summarises_the_results()
    {
        var written = new Dictionary<string, string>();
        var writeFile = AIFunctionFactory.Create((string path, string content) => written[path] = content, "write_file");
        using var client = new ChatClientBuilder(OfflineModel.CreateChatClient()).UseFunctionInvocation().Build();
        string prompt = new PromptDocument("implement one planned feature")
            .Section("Brief title", "Todo API")
            .Section("Feature", "List todos")
            .Section("Feature description", "Lists \"all\" todos.")
            .ToString();

        var response = await client.GetResponseAsync(prompt, new ChatOptions { Tools = [writeFile] }, Ct);

        var (path, content) = Assert.Single(written);
        Assert.Equal("Service/Features/ListTodosFeature.cs", path);
        Assert.Contains("public string Description => \"Lists \\\"all\\\" todos.\";", content, StringComparison.Ordinal);
        Assert.Contains(response.Messages, m => m.Contents.OfType<FunctionCallContent>().Any(c => c.CallId.StartsWith("call_", StringComparison.Ordinal)));
        Assert.StartsWith("[Offline model, no AI] Wrote 1 file(s): Service/Features/ListTodosFeature.cs", response.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Streaming_yields_the_same_answer_and_its_usage()
    {
        string prompt = RequirementsPrompt("It lists todos.");
        var options = new ChatOptions { ResponseFormat = ChatResponseFormat.ForJsonSchema<Requirements>() };

        var updates = await Offline.GetStreamingResponseAsync(prompt, options, Ct).ToListAsync(Ct);
        var response = await Offline.GetResponseAsync(prompt, options, Ct);

        Assert.Equal(response.Text, string.Concat(updates.Select(u => u.Text)));
        var usage = Assert.Single(updates.SelectMany(u => u.Contents).OfType<UsageContent>());
        Assert.Equal(response.Usage!.TotalTokenCount, usage.Details.TotalTokenCount);
    }

    [Fact]
    public void AddOfflineModel_adds_a_free_local_model_labelled_no_ai()
    {
        var services = new ServiceCollection();

        new CompanyBuilder(services).AddOfflineModel(o => o.MaxFeatures = 3);

        var descriptor = Assert.Single(services, d => d.ServiceType == typeof(ModelRegistration));
        Assert.Equal(ServiceLifetime.Singleton, descriptor.Lifetime);
        var registration = Assert.IsType<ModelRegistration>(descriptor.ImplementationInstance);
        Assert.Equal(ModelPricing.Free, registration.Profile.Pricing);
        Assert.True(registration.Profile.IsLocal);
        Assert.Equal("offline (no AI)", registration.Profile.Provider);
        var client = registration.CreateClient(null!);
        Assert.Equal("offline-no-ai", client.GetService<ChatClientMetadata>()!.DefaultModelId);
        Assert.DoesNotContain(services, d => d.ServiceType == typeof(IChatClient));
    }

    [Fact]
    public void Invalid_options_are_refused_with_every_problem()
    {
        var ex = Assert.Throws<ArgumentException>(() => OfflineModel.CreateChatClient(new OfflineModelOptions { MaxFeatures = 0, ResponseDelay = TimeSpan.FromHours(1) }));

        Assert.Contains("MaxFeatures is 0", ex.Message, StringComparison.Ordinal);
        Assert.Contains("ResponseDelay is 01:00:00", ex.Message, StringComparison.Ordinal);
    }

    private sealed class CompanyBuilder(IServiceCollection services) : IVirtualItCompanyBuilder
    {
        public IServiceCollection Services { get; } = services;
    }
}
