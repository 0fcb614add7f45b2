using System.Collections.Concurrent;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace VirtualItCompany.Routing;

/// <summary>
/// An <see cref="IChatClient"/> that sends each call to the cheapest registered model that can do it, within budget.
/// It reads the call's signals (complexity, specialization, latency class, required capabilities, context size, the
/// models' health), ranks the models of the policy's band, reserves the worst-case cost in the project and company
/// budgets of an <see cref="IBudgetAccount"/> (the project from the call's <see cref="ModelCallContext"/>; a call without
/// one is charged to the company only), calls the model with a copy of the options whose <see cref="ChatOptions.MaxOutputTokens"/> is what it
/// reserved, and settles the real cost after (a model that still exceeds it is charged, logged and counted unhealthy).
/// A failure before any output falls back to the next candidate; once streamed output has been exposed it is rethrown.
/// Every response carries its <see cref="RoutingDecision"/> under <see cref="RoutingDecision.PropertyKey"/>; its
/// <see cref="RoutingDecision.ActualCost"/> is everything the call was charged to the budget: the answering model's
/// settled cost plus each failed attempt (retries, models failed over) charged at its reservation. A stream carries the
/// decision on its first update (without the actual cost) and again, with it, on a final update once it has ended.
/// Every settlement (the answer, each failed attempt that may have been billed, a broken or abandoned stream) is reported
/// as a <see cref="ModelCharge"/> on the call's <see cref="ModelCallContext"/>, at exactly what the account was charged.
/// A stream never disposed keeps its reservation open until its owner (the work item) is settled with
/// <see cref="IBudgetAccount.SettleOwnerAsync"/>.
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
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly IModelCallJournal? _journal;
    private readonly IModelOutcomeStatistics? _outcomes;
    private readonly ChatClientMetadata _metadata = new(ProviderName);
    // Requests in flight, by their context; removed on the terminal update (or when selection gives up).
    private readonly ConcurrentDictionary<RoutingContext, RoutedRequest> _requests = new(ReferenceEqualityComparer.Instance);

    /// <summary>Creates a router over the given models.</summary>
    /// <param name="models">The registered models; each band of the policy must have at least one of them.</param>
    /// <param name="options">The options, or <see langword="null"/> for the defaults.</param>
    /// <param name="budget">The budget account, or <see langword="null"/> for a new <see cref="InMemoryBudgetAccount"/> whose company limit is <see cref="RoutingOptions.GlobalBudget"/>.</param>
    /// <param name="timeProvider">The clock, or <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    /// <param name="complexityEstimator">Estimates complexity when a call gives none, or <see langword="null"/> for <see cref="HeuristicComplexityEstimator"/>.</param>
    /// <param name="logger">Where the router warns about models that misbehave (such as producing more output than was reserved), or <see langword="null"/> for none.</param>
    /// <param name="journal">
    /// Where completed calls of work items are recorded before they are settled, and looked up before they are routed, so a
    /// work item tried again after a crash is answered from the calls its earlier try paid for; <see langword="null"/> for none.
    /// </param>
    /// <param name="outcomes">
    /// The company's verdicts on its models' work: the chosen model's rate for the call's role and stage is shown in each
    /// decision (<see cref="RoutingDecision.ChosenModelOutcomes"/>), and the outcome-feedback policy
    /// (<see cref="RoutingOptions.OutcomeFeedback"/>) moves calls by it; <see langword="null"/> for none.
    /// </param>
    /// <exception cref="RoutingConfigurationException">The options, catalog, policy or registrations are not valid; every problem is listed.</exception>
    public CostAwareRoutingChatClient(
        IEnumerable<RoutedModel> models,
        RoutingOptions? options = null,
        IBudgetAccount? budget = null,
        TimeProvider? timeProvider = null,
        IComplexityEstimator? complexityEstimator = null,
        ILogger? logger = null,
        IModelCallJournal? journal = null,
        IModelOutcomeStatistics? outcomes = null)
    {
        ArgumentNullException.ThrowIfNull(models);
        options ??= new RoutingOptions();
        _timeProvider = timeProvider ?? TimeProvider.System;
        _table = RouteTable.Create(models, options, _timeProvider);
        Budget = budget ?? new InMemoryBudgetAccount(options.GlobalBudget, _timeProvider);
        _estimator = complexityEstimator ?? HeuristicComplexityEstimator.Instance;
        _logger = logger ?? NullLogger.Instance;
        _journal = journal;
        _outcomes = outcomes;
        Models = [.. _table.Models.Select(m => m.Profile)];
    }

    /// <summary>Gets the budget account the router reserves and settles in.</summary>
    public IBudgetAccount Budget { get; }

    /// <summary>Gets the profiles of the models the router chooses among (with configured overrides applied).</summary>
    public IReadOnlyList<ModelProfile> Models { get; }

    internal RouteTable Table => _table;

    /// <summary>Explains where a call would go now, without calling a model or reserving budget.</summary>
    /// <param name="messages">The call's messages.</param>
    /// <param name="options">The call's options, tags and <see cref="ModelCallContext"/>.</param>
    /// <param name="cancellationToken">Cancels reading the budgets.</param>
    /// <returns>The decision; its chosen model is empty when no model could take the call.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The call's complexity is outside 1-10.</exception>
    public async ValueTask<RoutingDecision> PreviewAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var list = messages as IReadOnlyList<ChatMessage> ?? [.. messages];
        using var request = await BeginAsync(list, options, cancellationToken).ConfigureAwait(false);
        using var probe = new RoutedRequest(_table, new InMemoryBudgetAccount(), _timeProvider, request.Signals, request.StartBand, request.Budget with { ProjectId = null, CompanyRoomUnits = BudgetUnits.Unlimited, ProjectRoomUnits = BudgetUnits.Unlimited })
        {
            Outcomes = request.Outcomes,
            OutcomeBandsUp = request.OutcomeBandsUp,
            OutcomeNote = request.OutcomeNote,
        };
        long remaining = request.Budget.RoomUnits;
        while (await probe.TryNextAsync(cancellationToken).ConfigureAwait(false) is { } next)
        {
            if (next.Candidate.Cost <= remaining)
            {
                return probe.Decide(_table.Models[next.Candidate.Model], next.Candidate.Cost);
            }
        }

        return new RoutingDecision(string.Empty, request.Signals.Complexity, request.Signals.ComplexityEstimated, "no model can take the call", 0m, []) { ComplexityExplanation = request.ComplexityExplanation };
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
            : serviceType == typeof(IBudgetAccount) ? Budget
            : serviceType == typeof(ModelPricing) ? (_table.Models.Length == 1 ? _table.Models[0].Profile.Pricing : null)
            : serviceType == typeof(ModelProfile) ? (_table.Models.Length == 1 ? _table.Models[0].Profile : null)
            : serviceType.IsInstanceOfType(this) ? this
            : null;
    }

    /// <inheritdoc/>
    protected override async ValueTask<IChatClient> SelectClientAsync(RoutingContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!_requests.TryGetValue(context, out var request))
        {
            var messages = context.Messages as IReadOnlyList<ChatMessage> ?? [.. context.Messages];
            string? callKey = null;
            if (_journal is not null && ModelCallContext.From(context.ChatOptions) is { } callContext)
            {
                // A call an earlier try of the item already made and paid for is answered from the journal, whatever the budget says now.
                callKey = CallJournal.NextKey(callContext, messages, context.ChatOptions);
                // Only earlier tries' records can answer a call; when the try began with none, none can appear (records are fenced by the lease).
                if (callContext.JournalMayHoldCalls && await _journal.FindAsync(callContext.WorkItemId, callKey, cancellationToken).ConfigureAwait(false) is { } record)
                {
                    return new JournalReplayClient(record, callContext);
                }
            }

            request = await BeginAsync(messages, context.ChatOptions, cancellationToken).ConfigureAwait(false);
            request.Journal = callKey is null ? null : _journal;
            request.CallKey = callKey;
            _requests[context] = request;
        }

        (RankedCandidate Candidate, BudgetReservation Reservation)? next;
        try
        {
            next = await request.TryNextAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            _requests.TryRemove(context, out _);
            request.Dispose();
            throw;
        }

        if (next is not { } chosen)
        {
            _requests.TryRemove(context, out _);
            var error = request.NoCandidateLeft();
            request.Dispose();
            RoutedRequest.Throw(error);
            throw error; // unreachable: Throw rethrows with the original stack
        }

        var model = _table.Models[chosen.Candidate.Model];
        // The attempt calls the model with a copy of the options capped at what was reserved and naming the model's own id.
        return new ModelAttemptClient(_table, request, model, chosen.Candidate, chosen.Reservation, _logger);
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

    private async ValueTask<RoutedRequest> BeginAsync(IReadOnlyList<ChatMessage> messages, ChatOptions? options, CancellationToken cancellationToken)
    {
        var routing = _table.Options;
        var tags = CallTags.Read(options);
        if (options?.MaxOutputTokens is <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxOutputTokens, "ChatOptions.MaxOutputTokens must be more than zero.");
        }

        var measure = PromptMeasure.Of(messages, options, routing.MessageOverheadTokens, routing.ImageTokens);
        bool estimated = tags.Complexity is null;
        string? explanation = null;
        int complexity;
        if (tags.Complexity is { } given)
        {
            complexity = given;
        }
        else if (_estimator is IExplainingComplexityEstimator explaining)
        {
            (complexity, explanation) = explaining.EstimateWithExplanation(messages, options);
        }
        else
        {
            complexity = _estimator.Estimate(messages, options);
        }

        if (complexity is < 1 or > 10)
        {
            throw new InvalidOperationException($"The complexity estimator {_estimator.GetType().Name} returned {complexity}; it must return 1 to 10.");
        }

        var callContext = ModelCallContext.From(options);
        var budget = await ReadBudgetAsync(callContext, cancellationToken).ConfigureAwait(false);
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
            Attempt = callContext?.PreviousAttempts ?? tags.Attempt,
            NearBudgetLimit = budget.NearLimit,
        };
        int band = routing.Policy.SelectBand(signals, _table.BandList);
        if ((uint)band >= (uint)_table.Bands.Length)
        {
            throw new InvalidOperationException($"The routing policy {routing.Policy.GetType().Name} chose band {band}; there are {_table.Bands.Length} bands.");
        }

        var feedback = await OutcomeFeedbackAsync(callContext, signals, band, budget.Call.RoomUnits, cancellationToken).ConfigureAwait(false);
        return new RoutedRequest(_table, Budget, _timeProvider, signals, band + feedback.BandsUp, budget.Call)
        {
            ComplexityExplanation = explanation,
            Outcomes = feedback.Report,
            OutcomeBandsUp = feedback.BandsUp,
            OutcomeNote = feedback.Note,
        };
    }

    /// <summary>
    /// Reads the verdicts on the call's role and stage and, when the outcome-feedback policy holds them a band up, whether
    /// the call may move: never near the budget's tier-down threshold, never past the highest band, never to a band with no
    /// model within what the budget leaves.
    /// </summary>
    private async ValueTask<(ModelOutcomeReport? Report, int BandsUp, string? Note)> OutcomeFeedbackAsync(ModelCallContext? callContext, RoutingSignals signals, int band, long roomUnits, CancellationToken cancellationToken)
    {
        if (_outcomes is null || callContext is null)
        {
            return (null, 0, null);
        }

        ModelOutcomeReport report;
        try
        {
            report = await _outcomes.GetReportAsync(callContext, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
        {
            // The statistics inform the call; they never stop it.
            _logger.LogWarning(ex, "Could not read the outcome statistics for {WorkItemId}; the call is routed without them.", callContext.WorkItemId);
            return (null, 0, null);
        }

        if (!_table.Options.OutcomeFeedback.Enabled || report.FindShift(callContext.Role, callContext.Stage) is not { Bands: > 0 } shift)
        {
            return (report, 0, null);
        }

        int target = band + 1;
        string? blocked =
            signals.NearBudgetLimit ? "not moved: the budget is past its tier-down threshold"
            : target >= _table.Bands.Length ? "not moved: the call is already in the highest band"
            : !HasModelWithinBudget(target, signals, roomUnits) ? $"not moved: no model of band {_table.Bands[target].Range} is within what the budget leaves"
            : null;
        return blocked is null
            ? (report, 1, $"one band up by outcome feedback ({shift.Reason})")
            : (report, 0, $"outcome feedback would move it up a band ({shift.Reason}), {blocked}");
    }

    private bool HasModelWithinBudget(int band, in RoutingSignals signals, long roomUnits)
    {
        int size = _table.MaxBandSize;
        var candidates = System.Buffers.ArrayPool<RankedCandidate>.Shared.Rent(size);
        var keys = System.Buffers.ArrayPool<long>.Shared.Rent(size);
        try
        {
            Span<ulong> seen = stackalloc ulong[(_table.Models.Length + 63) / 64];
            int count = ModelSelector.EvaluateBand(_table, band, signals, roomUnits, candidates, keys, seen);
            for (int i = 0; i < count; i++)
            {
                if (candidates[i].Rejection == Rejection.None)
                {
                    return true;
                }
            }

            return false;
        }
        finally
        {
            System.Buffers.ArrayPool<RankedCandidate>.Shared.Return(candidates, clearArray: true);
            System.Buffers.ArrayPool<long>.Shared.Return(keys);
        }
    }

    /// <summary>Reads the call's budgets once: what settled spend leaves (for ranking) and whether either is near its limit (for the tier-down).</summary>
    private async ValueTask<(CallBudget Call, bool NearLimit)> ReadBudgetAsync(ModelCallContext? callContext, CancellationToken cancellationToken)
    {
        double threshold = _table.Options.TierDownThreshold;
        ProjectId? projectId = callContext?.ProjectId;
        // The company's and the project's at once: an account over a remote store reads them in one round trip.
        BudgetScope[] scopes = projectId is { } id ? [BudgetScope.Company, BudgetScope.ForProject(id)] : [BudgetScope.Company];
        var balances = await Budget.GetBalancesAsync(scopes, cancellationToken).ConfigureAwait(false);
        var company = balances[0];
        var project = balances.Count > 1 ? balances[1] : null;

        string owner = callContext?.WorkItemId ?? "call_" + Guid.NewGuid().ToString("N");
        var call = new CallBudget(callContext, projectId, owner, CallBudget.RoomOf(company), CallBudget.RoomOf(project), company.Remaining ?? 0m, project?.Remaining ?? 0m);
        return (call, IsNearLimit(company, threshold) || IsNearLimit(project, threshold));
    }

    private static bool IsNearLimit(BudgetBalance? balance, double threshold) =>
        balance?.Limit is { } limit && balance.Spent >= limit * (decimal)threshold;
}
