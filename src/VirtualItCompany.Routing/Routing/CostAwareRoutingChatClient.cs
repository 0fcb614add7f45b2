using System.Collections.Concurrent;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace VirtualItCompany.Routing;

/// <summary>
/// An <see cref="IChatClient"/> that sends each call to the cheapest registered model that can do it, within budget.
/// It reads the call's signals (complexity, specialization, latency class, required capabilities, context size, the
/// models' health), ranks the models of the policy's band, reserves the worst-case cost in the project and global
/// budgets, calls the model with a copy of the options whose <see cref="ChatOptions.MaxOutputTokens"/> is what it
/// reserved, and settles the real cost after (a model that still exceeds it is charged, logged and counted unhealthy).
/// A failure before any output falls back to the next candidate; once streamed output has been exposed it is rethrown.
/// Every response carries its <see cref="RoutingDecision"/> under <see cref="RoutingDecision.PropertyKey"/>; its
/// <see cref="RoutingDecision.ActualCost"/> is everything the call was charged to the budget: the answering model's
/// settled cost plus each failed attempt (retries, models failed over) charged at its reservation. A stream carries the
/// decision on its first update (without the actual cost) and again, with it, on a final update once it has ended.
/// </summary>
public sealed class CostAwareRoutingChatClient : FailoverChatClient
{
    /// <summary>The provider name the router reports in its own <see cref="ChatClientMetadata"/>.</summary>
    public const string ProviderName = "virtual-it-company router";

    /// <summary>
    /// The <see cref="Exception.Data"/> key under which a <see cref="BudgetExhaustedException"/> carries the failure of a
    /// model tried before the budget stopped the call (the budget is what surfaces; the earlier failure is kept here).
    /// </summary>
    public const string LastFailureDataKey = "vic.routing.last_failure";

    private readonly RouteTable _table;
    private readonly IComplexityEstimator _estimator;
    private readonly ILogger _logger;
    private readonly ChatClientMetadata _metadata = new(ProviderName);
    // Requests in flight, by their context; removed on the terminal update (or when selection gives up).
    private readonly ConcurrentDictionary<RoutingContext, RoutedRequest> _requests = new(ReferenceEqualityComparer.Instance);

    /// <summary>Creates a router over the given models.</summary>
    /// <param name="models">The registered models; each band of the policy must have at least one of them.</param>
    /// <param name="options">The options, or <see langword="null"/> for the defaults.</param>
    /// <param name="ledger">The budget ledger, or <see langword="null"/> for a new one with <see cref="RoutingOptions.GlobalBudget"/>.</param>
    /// <param name="timeProvider">The clock, or <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    /// <param name="complexityEstimator">Estimates complexity when a call gives none, or <see langword="null"/> for <see cref="HeuristicComplexityEstimator"/>.</param>
    /// <param name="logger">Where the router warns about models that misbehave (such as producing more output than was reserved), or <see langword="null"/> for none.</param>
    /// <exception cref="RoutingConfigurationException">The options, catalog, policy or registrations are not valid; every problem is listed.</exception>
    public CostAwareRoutingChatClient(
        IEnumerable<RoutedModel> models,
        RoutingOptions? options = null,
        BudgetLedger? ledger = null,
        TimeProvider? timeProvider = null,
        IComplexityEstimator? complexityEstimator = null,
        ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(models);
        options ??= new RoutingOptions();
        _table = RouteTable.Create(models, options, timeProvider ?? TimeProvider.System);
        Ledger = ledger ?? new BudgetLedger(options.GlobalBudget);
        _estimator = complexityEstimator ?? HeuristicComplexityEstimator.Instance;
        _logger = logger ?? NullLogger.Instance;
        Models = [.. _table.Models.Select(m => m.Profile)];
    }

    /// <summary>Gets the budget ledger the router reserves and settles in.</summary>
    public BudgetLedger Ledger { get; }

    /// <summary>Gets the profiles of the models the router chooses among (with configured overrides applied).</summary>
    public IReadOnlyList<ModelProfile> Models { get; }

    internal RouteTable Table => _table;

    /// <summary>Explains where a call would go now, without calling a model or reserving budget.</summary>
    /// <param name="messages">The call's messages.</param>
    /// <param name="options">The call's options and tags.</param>
    /// <returns>The decision; its chosen model is empty when no model could take the call.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The call's complexity is outside 1-10, or a budget tag is negative.</exception>
    public RoutingDecision Preview(IEnumerable<ChatMessage> messages, ChatOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var list = messages as IReadOnlyList<ChatMessage> ?? [.. messages];
        var request = Begin(list, options);
        request.Dispose();
        using var probe = new RoutedRequest(_table, new BudgetLedger(), request.Signals, request.StartBand, null);
        long remaining = Ledger.RemainingUnits(request.Account);
        while (probe.TryNext(out var candidate, out _))
        {
            if (candidate.Cost <= remaining)
            {
                return probe.Decide(_table.Models[candidate.Model], candidate.Cost);
            }
        }

        return new RoutingDecision(string.Empty, request.Signals.Complexity, request.Signals.ComplexityEstimated, "no model can take the call", 0m, []);
    }

    /// <inheritdoc/>
    public override object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is string key)
        {
            // A router over one model lets it answer for any id it reports (providers often report dated variants).
            if ((_table.Find(key) ?? (_table.Models.Length == 1 ? _table.Models[0] : null)) is not { } model)
            {
                return null;
            }

            return serviceType == typeof(ModelPricing) ? model.Profile.Pricing
                : serviceType == typeof(ModelProfile) ? model.Profile
                : serviceType == typeof(ChatClientMetadata) ? model.Metadata
                : model.Client.GetService(serviceType, null);
        }

        if (serviceKey is not null)
        {
            return null;
        }

        return serviceType == typeof(ChatClientMetadata) ? _metadata
            : serviceType == typeof(BudgetLedger) ? Ledger
            : serviceType == typeof(ModelPricing) ? (_table.Models.Length == 1 ? _table.Models[0].Profile.Pricing : null)
            : serviceType == typeof(ModelProfile) ? (_table.Models.Length == 1 ? _table.Models[0].Profile : null)
            : serviceType.IsInstanceOfType(this) ? this
            : null;
    }

    /// <inheritdoc/>
    protected override ValueTask<IChatClient> SelectClientAsync(RoutingContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!_requests.TryGetValue(context, out var request))
        {
            var messages = context.Messages as IReadOnlyList<ChatMessage> ?? [.. context.Messages];
            request = Begin(messages, context.ChatOptions);
            _requests[context] = request;
        }

        if (!request.TryNext(out var candidate, out var reservation))
        {
            _requests.TryRemove(context, out _);
            var error = request.NoCandidateLeft();
            request.Dispose();
            RoutedRequest.Throw(error);
        }

        var model = _table.Models[candidate.Model];
        // The attempt calls the model with a copy of the options capped at what was reserved and naming the model's own id.
        return new ValueTask<IChatClient>(new ModelAttemptClient(_table, Ledger, request, model, candidate, reservation, _logger));
    }

    /// <inheritdoc/>
    protected override ValueTask OnRoutingUpdateAsync(RoutingContext context, FailoverChatClientAttempt attempt, bool isTerminal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (_requests.TryGetValue(context, out var request))
        {
            if (attempt?.Exception is { } exception && attempt.Client is ModelAttemptClient failed && !attempt.OutputCommitted)
            {
                request.Failed(failed.Model, exception);
            }

            if (isTerminal)
            {
                _requests.TryRemove(context, out _);
                request.Dispose();
            }
        }

        return default;
    }

    private RoutedRequest Begin(IReadOnlyList<ChatMessage> messages, ChatOptions? options)
    {
        var routing = _table.Options;
        var tags = CallTags.Read(options);
        if (options?.MaxOutputTokens is <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxOutputTokens, "ChatOptions.MaxOutputTokens must be more than zero.");
        }

        var measure = PromptMeasure.Of(messages, options, routing.MessageOverheadTokens, routing.ImageTokens);
        bool estimated = tags.Complexity is null;
        int complexity = tags.Complexity ?? _estimator.Estimate(messages, options);
        if (complexity is < 1 or > 10)
        {
            throw new InvalidOperationException($"The complexity estimator {_estimator.GetType().Name} returned {complexity}; it must return 1 to 10.");
        }

        BudgetAccount? account = null;
        if (tags.ProjectId is { } projectId)
        {
            account = tags.BudgetLimit is { } limit ? Ledger.ObserveProject(projectId, limit, tags.BudgetSpent ?? 0m) : Ledger.GetProjectAccount(projectId);
        }

        var signals = new RoutingSignals
        {
            Complexity = complexity,
            ComplexityEstimated = estimated,
            PreferredCapability = tags.Specialization is { } specialization ? Specializations.PreferredCapability(specialization) : SpecializationInference.Infer(measure),
            LatencyCritical = tags.LatencyCritical,
            RequiredCapabilities = measure.Required,
            PromptTokenBound = measure.TokenBound,
            PromptUnbounded = measure.Unbounded,
            ExpectedPromptTokens = measure.ExpectedTokens,
            RequestedOutputTokens = options?.MaxOutputTokens ?? routing.DefaultMaxOutputTokens,
            Attempt = tags.Attempt,
            NearBudgetLimit = IsNearLimit(account, routing.TierDownThreshold) || IsNearLimit(Ledger.Global, routing.TierDownThreshold),
        };
        int band = routing.Policy.SelectBand(signals, _table.BandList);
        if ((uint)band >= (uint)_table.Bands.Length)
        {
            throw new InvalidOperationException($"The routing policy {routing.Policy.GetType().Name} chose band {band}; there are {_table.Bands.Length} bands.");
        }

        return new RoutedRequest(_table, Ledger, signals, band, account);
    }

    private static bool IsNearLimit(BudgetAccount? account, double threshold)
    {
        if (account is null)
        {
            return false;
        }

        long limit = account.LimitUnits;
        return limit < CostUnits.Unlimited && account.SpentUnits >= limit * threshold;
    }
}
