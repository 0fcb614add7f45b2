using System.Collections.Concurrent;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using VirtualItCompany.Lifecycle;
using VirtualItCompany.Routing;
using VirtualItCompany.Runtime;
using VirtualItCompany.Testing;

namespace VirtualItCompany.Tests.Routing;

/// <summary>
/// Outcome feedback through whole deliveries with scripted models whose quality differs by stage: the cheap model plans well
/// and writes code the review always sends back; the strong model's code passes.
/// </summary>
public sealed class OutcomeFeedbackTests
{
    private const string Cheap = "test/cheap";
    private const string Strong = "test/strong";
    private static readonly LifecycleTrigger PlanChangesNeeded = new("PlanChangesNeeded");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task With_the_policy_on_feature_development_moves_up_after_its_work_is_sent_back_planning_stays_cheap_and_it_moves_down_after_the_strong_model_passes()
    {
        await using var company = new ScriptedCompany(policyOn: true);
        var first = await company.DeliverAsync("Shop");

        var development = first.OfType<ModelCallCompleted>().Where(c => c.Stage == LifecycleStage.FeatureDevelopment).ToList();
        Assert.Equal([Cheap, Cheap, Strong], development.Select(c => c.Routing!.ChosenModelId));
        Assert.Equal([0, 0, 1], development.Select(c => c.Routing!.OutcomeBandsUp));
        Assert.Contains("one band up by outcome feedback", development[2].Routing!.Reason, StringComparison.Ordinal);
        Assert.Contains("2 of the last 2 verdicts", development[2].Routing!.Reason, StringComparison.Ordinal);
        // The decision shows the chosen model's record for the call's role and stage as it stood.
        Assert.Equal((0, 1), (development[1].Routing!.ChosenModelOutcomes!.Accepted, development[1].Routing!.ChosenModelOutcomes!.SentBack));
        Assert.Equal((0, 0), (development[2].Routing!.ChosenModelOutcomes!.Accepted, development[2].Routing!.ChosenModelOutcomes!.SentBack));

        var planning = first.OfType<ModelCallCompleted>().Where(c => c.Stage == LifecycleStage.ProjectPlanning).ToList();
        Assert.All(planning, c => Assert.Equal((Cheap, 0), (c.Routing!.ChosenModelId, c.Routing.OutcomeBandsUp)));

        var report = await company.Statistics.GetReportAsync(cancellationToken: Ct);
        // Review sent the cheap code back twice; review, tests, client and monitoring accepted the strong code; review accepted the cheap plan.
        Assert.Equal((0, 2), Rate(report, Cheap, AgentRole.Developer, LifecycleStage.FeatureDevelopment));
        Assert.Equal((4, 0), Rate(report, Strong, AgentRole.Developer, LifecycleStage.FeatureDevelopment));
        Assert.Equal((1, 0), Rate(report, Cheap, AgentRole.ProjectManager, LifecycleStage.ProjectPlanning));
        Assert.Null(report.Find(Cheap, AgentRole.CodeReviewer, LifecycleStage.CodeReview)); // no verdict judges the review itself
        // Two acceptances in a row at the higher band moved it back down.
        var shift = report.FindShift(AgentRole.Developer, LifecycleStage.FeatureDevelopment)!;
        Assert.Equal(0, shift.Bands);
        Assert.Contains("moved back down 1 time(s)", shift.Reason, StringComparison.Ordinal);
        Assert.Equal(0, report.FindShift(AgentRole.ProjectManager, LifecycleStage.ProjectPlanning)!.Bands);

        // Moved down: the next project's code starts on the cheap model again, and moves up again after two send-backs.
        var second = await company.DeliverAsync("Blog");
        var again = second.OfType<ModelCallCompleted>().Where(c => c.Stage == LifecycleStage.FeatureDevelopment).ToList();
        Assert.Equal([Cheap, Cheap, Strong], again.Select(c => c.Routing!.ChosenModelId));
        report = await company.Statistics.GetReportAsync(cancellationToken: Ct);
        Assert.Equal((0, 4), Rate(report, Cheap, AgentRole.Developer, LifecycleStage.FeatureDevelopment));
        Assert.Equal((8, 0), Rate(report, Strong, AgentRole.Developer, LifecycleStage.FeatureDevelopment));
        Assert.Equal((2, 0), Rate(report, Cheap, AgentRole.ProjectManager, LifecycleStage.ProjectPlanning));
        Assert.All(second.OfType<ModelCallCompleted>().Where(c => c.Stage != LifecycleStage.FeatureDevelopment), c => Assert.Equal((Cheap, 0), (c.Routing!.ChosenModelId, c.Routing.OutcomeBandsUp)));
    }

    [Fact]
    public async Task With_the_policy_off_nothing_moves_and_the_rates_still_count_every_send_back_including_the_one_held_at_the_loop_bound()
    {
        await using var company = new ScriptedCompany(policyOn: false);
        var events = await company.DeliverAsync("Shop", until: e => e is ClientInputRequested { Kind: ClientInputKind.Escalation });

        var development = events.OfType<ModelCallCompleted>().Where(c => c.Stage == LifecycleStage.FeatureDevelopment).ToList();
        Assert.Equal(3, development.Count);
        Assert.All(events.OfType<ModelCallCompleted>(), c => Assert.Equal((Cheap, 0), (c.Routing!.ChosenModelId, c.Routing.OutcomeBandsUp)));
        Assert.DoesNotContain(events.OfType<ModelCallCompleted>(), c => c.Routing!.Reason.Contains("outcome feedback", StringComparison.Ordinal));
        Assert.Equal((0, 2), (development[2].Routing!.ChosenModelOutcomes!.Accepted, development[2].Routing!.ChosenModelOutcomes!.SentBack));

        var report = await company.Statistics.GetReportAsync(cancellationToken: Ct);
        // Two send-backs moved the project back; the third waits for a human at the loop bound and is counted too.
        Assert.Equal((0, 3), Rate(report, Cheap, AgentRole.Developer, LifecycleStage.FeatureDevelopment));
        Assert.Empty(report.Shifts);
        Assert.Null(report.Find(Cheap, AgentRole.ProjectManager, LifecycleStage.ProjectPlanning)); // review never approved, so the plan was not judged
    }

    private static (int Accepted, int SentBack) Rate(ModelOutcomeReport report, string model, AgentRole role, LifecycleStage stage) =>
        report.Find(model, role, stage) is { } rate ? (rate.Accepted, rate.SentBack) : throw new Xunit.Sdk.XunitException($"No rate for {model} as {role} in {stage}; rates: {string.Join("; ", report.Rates)}");

    /// <summary>A company of two scripted models and scripted agents for every role; the review judges the code (and could send back the plan).</summary>
    private sealed class ScriptedCompany : IAsyncDisposable
    {
        private readonly ServiceProvider _services;
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _workers;
        private readonly ConcurrentDictionary<ProjectId, string> _code = new();

        public ScriptedCompany(bool policyOn)
        {
            var services = new ServiceCollection();
            var lifecycle = LifecycleDefinition.Default.ToBuilder("Plan reviewed with the code").Permit(LifecycleStage.CodeReview, PlanChangesNeeded, LifecycleStage.ProjectPlanning).Build();
            var builder = services.AddVirtualItCompany(o =>
            {
                o.Workers = 2;
                o.PollInterval = TimeSpan.FromMilliseconds(20);
                o.MaxLoopCount = 2;
                o.Lifecycle = lifecycle;
            });
            services.AddModelRouting(o =>
            {
                o.Policy = new RoutingPolicy { Bands = [new RoutingBand { MinComplexity = 1, MaxComplexity = 5, Models = [Cheap] }, new RoutingBand { MinComplexity = 6, MaxComplexity = 10, Models = [Strong] }] };
                o.OutcomeFeedback.Enabled = policyOn;
                o.OutcomeFeedback.MinVerdicts = 2;
                o.OutcomeFeedback.Window = 4;
                o.OutcomeFeedback.RaiseAtSentBackRate = 1.0;
                o.OutcomeFeedback.LowerAfterAcceptances = 2;
            });
            services.AddSingleton<IWorkspaceProvider>(new InMemoryWorkspaceProvider());
            // The cheap model plans well and writes code that does not pass review; the strong model does both well.
            builder.AddModel(Profile(Cheap, tier: 1, new ModelPricing(0.1m, 0.2m)), _ => new StageQualityChatClient("cheap-1", stage => stage == LifecycleStage.FeatureDevelopment ? "sloppy" : "good"));
            builder.AddModel(Profile(Strong, tier: 4, new ModelPricing(10m, 20m)), _ => new StageQualityChatClient("strong-1", _ => "good"));
            foreach (var role in new[] { AgentRole.ProjectManager, AgentRole.Designer, AgentRole.DevOps, AgentRole.Developer, AgentRole.CodeReviewer, AgentRole.Tester })
            {
                builder.AddAgent(new StageWorkAgent(role, Decide));
            }

            _services = services.BuildServiceProvider();
            Company = _services.GetRequiredService<IDeliveryCompany>();
            Statistics = _services.GetRequiredService<IModelOutcomeStatistics>();
            _workers = _services.GetRequiredService<WorkDispatcher>().RunAsync(_stop.Token);
        }

        public IDeliveryCompany Company { get; }

        public IModelOutcomeStatistics Statistics { get; }

        public async Task<List<ProjectEvent>> DeliverAsync(string title, Func<ProjectEvent, bool>? until = null)
        {
            var project = await Company.SubmitAsync(new ProjectBrief { Title = title, Description = "A small service.", AcceptanceCriteria = ["works"], Budget = 20m }, Ct);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(60));
            var seen = new List<ProjectEvent>();
            await foreach (var e in Company.WatchAsync(project.Id, cancellationToken: timeout.Token))
            {
                seen.Add(e);
                if (until?.Invoke(e) == true)
                {
                    break;
                }
            }

            Assert.True(until is not null || seen[^1] is ProjectCompleted, "The project did not complete: " + string.Join(" | ", seen.Select(e => e.Description)));
            return seen;
        }

        private AgentOutcome Decide(AgentContext context, string answer)
        {
            var item = context.WorkItem;
            var stage = item.Stage;
            if (stage == LifecycleStage.FeatureDevelopment)
            {
                _code[item.ProjectId] = answer;
                return AgentOutcome.Completed("wrote the feature", LifecycleTrigger.FeaturesComplete);
            }

            if (stage == LifecycleStage.CodeReview)
            {
                return _code.GetValueOrDefault(item.ProjectId) == "good"
                    ? AgentOutcome.Completed("approved", LifecycleTrigger.ReviewApproved, [new CodeReviewed(true, [])])
                    : AgentOutcome.Completed("changes needed", LifecycleTrigger.ChangesNeeded, [new CodeReviewed(false, ["the code is sloppy"])]);
            }

            if (stage == LifecycleStage.ProjectPlanning)
            {
                return AgentOutcome.Completed("planned", LifecycleTrigger.PlanReady, [new PlanCreated([new PlannedFeature("feature-1", "The one feature.")])]);
            }

            var forward =
                stage == LifecycleStage.RequirementsAnalysis ? LifecycleTrigger.RequirementsClear
                : stage == LifecycleStage.SetupDevelopment ? LifecycleTrigger.SetupComplete
                : stage == LifecycleStage.Testing ? LifecycleTrigger.TestsPassed
                : stage == LifecycleStage.StagingDeployment ? LifecycleTrigger.StagingDeployed
                : stage == LifecycleStage.ClientReview ? LifecycleTrigger.ClientApproved
                : stage == LifecycleStage.ProductionDeployment ? LifecycleTrigger.ProductionDeployed
                : LifecycleTrigger.ProjectComplete;
            return AgentOutcome.Completed("done", forward);
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _workers;
            await _services.DisposeAsync();
            _stop.Dispose();
        }

        private static ModelProfile Profile(string id, int tier, ModelPricing pricing) => new()
        {
            Id = id, Provider = "test", ModelId = id.Split('/')[1] + "-1", Pricing = pricing, QualityTier = tier,
            ContextWindow = 32_000, MaxOutputTokens = 1_000, Capabilities = ModelCapabilities.Tools | ModelCapabilities.JsonSchema,
        };
    }

    /// <summary>An agent that asks the model to do its stage's work (complexity 3: the cheap band) and lets the script decide the outcome from the answer.</summary>
    private sealed class StageWorkAgent(AgentRole role, Func<AgentContext, string, AgentOutcome> decide) : IAgent
    {
        public AgentRole Role { get; } = role;

        public async Task<AgentOutcome> ExecuteAsync(AgentContext context, CancellationToken cancellationToken)
        {
            var response = await context.ChatClient.GetResponseAsync([new ChatMessage(ChatRole.User, "stage:" + context.WorkItem.Stage.Value)], new ChatOptions().WithComplexity(3), cancellationToken);
            return decide(context, response.Text);
        }
    }

    /// <summary>A scripted model whose answer depends on the stage it is asked to work in ("good" or "sloppy").</summary>
    private sealed class StageQualityChatClient(string modelId, Func<LifecycleStage, string> quality) : IChatClient
    {
        private readonly ChatClientMetadata _metadata = new("test", null, modelId);

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            string prompt = messages.Last().Text;
            var stage = new LifecycleStage(prompt["stage:".Length..]);
            return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, quality(stage)))
            {
                ModelId = modelId,
                Usage = new UsageDetails { InputTokenCount = 10, OutputTokenCount = 5, TotalTokenCount = 15 },
            });
        }

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException("The agents of these tests do not stream.");

        public object? GetService(Type serviceType, object? serviceKey = null) =>
            serviceType == typeof(ChatClientMetadata) ? _metadata : serviceType.IsInstanceOfType(this) ? this : null;

        public void Dispose()
        {
        }
    }
}
