using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using VirtualItCompany.Chat;

namespace VirtualItCompany.Tests.Chat;

public sealed class WorkItemChatClientTests
{
    private static readonly ProjectSnapshot Project = ProjectSnapshot.Create(new ProjectCreated(new ProjectBrief { Title = "T", Description = "D", Budget = 2m }, LifecycleStage.RequirementsAnalysis) { ProjectId = new ProjectId("prj_chat"), Version = 1 });
    private static readonly WorkItem Item = WorkItem.Create(Project.Id, AgentRole.Developer, LifecycleStage.FeatureDevelopment, 1, DateTimeOffset.UnixEpoch, "search");

    [Fact]
    public async Task Every_call_is_tagged_with_the_project_stage_role_attempt_and_budget()
    {
        var model = new StreamingModel(breakAfterFirst: false);
        var client = new WorkItemChatClient(model, model.GetService<ChatClientMetadata>(), Item, 0, Project, TimeProvider.System);

        await client.GetResponseAsync([new ChatMessage(ChatRole.User, "hi")], cancellationToken: TestContext.Current.CancellationToken);

        var tags = model.SeenOptions!.AdditionalProperties!;
        Assert.Equal("prj_chat", tags[AgentChatTags.ProjectId]);
        Assert.Equal("FeatureDevelopment", tags[AgentChatTags.Stage]);
        Assert.Equal("Developer", tags[AgentChatTags.Role]);
        Assert.Equal(0, tags[AgentChatTags.Attempt]);
        Assert.Equal(2m, tags[AgentChatTags.BudgetLimit]);
        Assert.Equal(0m, tags[AgentChatTags.BudgetSpent]);
    }

    [Fact]
    public async Task A_stream_that_breaks_part_way_is_still_recorded_with_the_usage_seen()
    {
        var model = new StreamingModel(breakAfterFirst: true);
        var client = new WorkItemChatClient(model, model.GetService<ChatClientMetadata>(), Item, 0, Project, TimeProvider.System);

        await Assert.ThrowsAsync<HttpRequestException>(async () =>
        {
            await foreach (var _ in client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "hi")], cancellationToken: TestContext.Current.CancellationToken))
            {
            }
        });

        var call = Assert.Single(client.TakeCalls());
        Assert.Equal(40, call.InputTokens);
        Assert.Equal((40 * 1m + 5 * 2m) / 1_000_000m, call.Cost);
    }

    [Fact]
    public async Task The_routers_charge_is_the_calls_cost()
    {
        var model = new StreamingModel(breakAfterFirst: false) { Decision = new RoutingDecision("m", 3, false, "only model", 0.5m, []) { ActualCost = 0.25m } };
        var client = new WorkItemChatClient(model, model.GetService<ChatClientMetadata>(), Item, 0, Project, TimeProvider.System);

        await client.GetResponseAsync([new ChatMessage(ChatRole.User, "hi")], cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(0.25m, Assert.Single(client.TakeCalls()).Cost);
    }

    private sealed class StreamingModel(bool breakAfterFirst) : IChatClient
    {
        public ChatOptions? SeenOptions { get; private set; }

        public RoutingDecision? Decision { get; init; }

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            SeenOptions = options;
            var response = new ChatResponse(new ChatMessage(ChatRole.Assistant, "ok")) { ModelId = "m", Usage = new UsageDetails { InputTokenCount = 40, OutputTokenCount = 5 } };
            if (Decision is not null)
            {
                response.AdditionalProperties = new() { [RoutingDecision.PropertyKey] = Decision };
            }

            return Task.FromResult(response);
        }

        public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            await Task.Yield();
            yield return new ChatResponseUpdate(ChatRole.Assistant, [new TextContent("part"), new UsageContent(new UsageDetails { InputTokenCount = 40, OutputTokenCount = 5 })]) { ModelId = "m" };
            if (breakAfterFirst)
            {
                throw new HttpRequestException("connection reset");
            }
        }

        public object? GetService(Type serviceType, object? serviceKey = null) =>
            serviceType == typeof(ModelPricing) ? new ModelPricing(1m, 2m) : serviceType == typeof(ChatClientMetadata) ? new ChatClientMetadata("test", null, "m") : null;

        public void Dispose()
        {
        }
    }
}
