using System.Runtime.CompilerServices;
using System.Diagnostics;
using Microsoft.Extensions.AI;
using VirtualItCompany.Diagnostics;

namespace VirtualItCompany.Chat;

/// <summary>Tags each model call of a work item (project, stage, role, item) and meters its tokens and cost.</summary>
internal sealed class WorkItemChatClient : DelegatingChatClient
{
    private readonly WorkItem _item;
    private readonly int _previousAttempts;
    private readonly ProjectSnapshot _project;
    private readonly TimeProvider _timeProvider;
    private readonly string _provider;
    private readonly string _defaultModel;
    private readonly Lock _gate = new();
    private List<ModelCall>? _calls;

    public WorkItemChatClient(IChatClient inner, ChatClientMetadata? metadata, WorkItem item, int previousAttempts, ProjectSnapshot project, TimeProvider timeProvider)
        : base(inner)
    {
        _item = item;
        _previousAttempts = previousAttempts;
        _project = project;
        _timeProvider = timeProvider;
        _provider = metadata?.ProviderName ?? "unknown";
        _defaultModel = metadata?.DefaultModelId ?? "unknown";
    }

    /// <summary>Does not dispose the model under it: that client is shared by every work item.</summary>
    protected override void Dispose(bool disposing)
    {
    }

    /// <summary>Takes the calls metered so far.</summary>
    public IReadOnlyList<ModelCall> TakeCalls()
    {
        lock (_gate)
        {
            var calls = _calls ?? [];
            _calls = null;
            return calls;
        }
    }

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        using var activity = StartActivity();
        long start = _timeProvider.GetTimestamp();
        var response = await base.GetResponseAsync(messages, Tag(options), cancellationToken).ConfigureAwait(false);
        Record(response.ModelId, response.Usage, _timeProvider.GetElapsedTime(start), activity, response.AdditionalProperties?.GetValueOrDefault(RoutingDecision.PropertyKey) as RoutingDecision);
        return response;
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var activity = StartActivity();
        long start = _timeProvider.GetTimestamp();
        string? modelId = null;
        UsageDetails? usage = null;
        RoutingDecision? decision = null;
        bool recorded = false;
        try
        {
            await foreach (var update in base.GetStreamingResponseAsync(messages, Tag(options), cancellationToken).ConfigureAwait(false))
            {
                modelId ??= update.ModelId;
                decision = update.AdditionalProperties?.GetValueOrDefault(RoutingDecision.PropertyKey) as RoutingDecision ?? decision;
                foreach (var content in update.Contents)
                {
                    if (content is UsageContent u)
                    {
                        usage ??= new UsageDetails();
                        usage.Add(u.Details);
                    }
                }

                yield return update;
            }

            Record(modelId, usage, _timeProvider.GetElapsedTime(start), activity, decision);
            recorded = true;
        }
        finally
        {
            // A stream that failed or was abandoned part-way was still (partly) paid for: record what is known.
            if (!recorded && (modelId is not null || usage is not null))
            {
                Record(modelId, usage, _timeProvider.GetElapsedTime(start), activity, decision);
            }
        }
    }

    private ChatOptions Tag(ChatOptions? options)
    {
        options = options?.Clone() ?? new ChatOptions();
        var tags = options.AdditionalProperties ??= [];
        tags[AgentChatTags.ProjectId] = _item.ProjectId.Value;
        tags[AgentChatTags.Stage] = _item.Stage.Value;
        tags[AgentChatTags.Role] = _item.Role.Value;
        tags[AgentChatTags.WorkItemId] = _item.Id;
        tags[AgentChatTags.Attempt] = _previousAttempts;
        tags[AgentChatTags.BudgetLimit] = _project.Brief.Budget ?? 0m;
        tags[AgentChatTags.BudgetSpent] = _project.Spent;
        return options;
    }

    private Activity? StartActivity()
    {
        var activity = CompanyTelemetry.ActivitySource.HasListeners() ? CompanyTelemetry.ActivitySource.StartActivity("chat", ActivityKind.Client) : null;
        if (activity is not null)
        {
            activity.SetTag("gen_ai.operation.name", "chat");
            activity.SetTag("gen_ai.provider.name", _provider);
            activity.SetTag("gen_ai.request.model", _defaultModel);
            activity.SetTag(AgentChatTags.ProjectId, _item.ProjectId.Value);
            activity.SetTag(AgentChatTags.Stage, _item.Stage.Value);
            activity.SetTag(AgentChatTags.Role, _item.Role.Value);
        }

        return activity;
    }

    private void Record(string? modelId, UsageDetails? usage, TimeSpan duration, Activity? activity, RoutingDecision? decision)
    {
        modelId ??= _defaultModel;
        // A router answers for the model it chose; ask for that model's price first.
        var pricing = InnerClient.GetService(typeof(ModelPricing), modelId) as ModelPricing ?? InnerClient.GetService<ModelPricing>();
        if (pricing is null && usage is not null && (usage.InputTokenCount ?? 0) + (usage.OutputTokenCount ?? 0) > 0)
        {
            throw new InvalidOperationException(
                $"The model client for '{modelId}' reports no {nameof(ModelPricing)}, so the call's cost cannot be accounted. Register the model with its prices (e.g. through a provider package) or return ModelPricing.Free from GetService for a free model.");
        }

        // A router answers for the model it chose: ask for that model's provider.
        string provider = (InnerClient.GetService(typeof(ChatClientMetadata), modelId) as ChatClientMetadata)?.ProviderName ?? _provider;
        // What the router charged the budget is the call's cost (it may be the reservation when usage was missing); else price the usage.
        decimal cost = decision?.ActualCost ?? pricing?.CostOf(usage) ?? 0m;
        var call = new ModelCall(provider, modelId, usage?.InputTokenCount ?? 0, usage?.OutputTokenCount ?? 0, cost, duration, decision);
        if (activity is not null)
        {
            activity.SetTag("gen_ai.response.model", modelId);
            activity.SetTag("gen_ai.usage.input_tokens", call.InputTokens);
            activity.SetTag("gen_ai.usage.output_tokens", call.OutputTokens);
            activity.SetTag("vic.cost_usd", (double)call.Cost);
        }

        if (CompanyTelemetry.Tokens.Enabled)
        {
            var model = new KeyValuePair<string, object?>("gen_ai.response.model", modelId);
            CompanyTelemetry.Tokens.Add(call.InputTokens, model, new("gen_ai.token.type", "input"));
            CompanyTelemetry.Tokens.Add(call.OutputTokens, model, new("gen_ai.token.type", "output"));
        }

        if (CompanyTelemetry.Cost.Enabled)
        {
            CompanyTelemetry.Cost.Add((double)call.Cost, new KeyValuePair<string, object?>("gen_ai.response.model", modelId), new(AgentChatTags.Role, _item.Role.Value));
        }

        lock (_gate)
        {
            (_calls ??= []).Add(call);
        }
    }
}
