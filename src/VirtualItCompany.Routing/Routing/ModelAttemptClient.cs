using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace VirtualItCompany.Routing;

/// <summary>
/// One attempt of a routed call on one model: runs it through the model's resilience pipeline (each retry reserving
/// its own budget), settles the budget from the real usage (charging failed attempts that may have been billed at their
/// reservation, releasing only those that certainly were not), reports every charge on the call's
/// <see cref="ModelCallContext"/>, and stamps the routing decision on the response.
/// </summary>
internal sealed partial class ModelAttemptClient : IChatClient
{
    private readonly RouteTable _table;
    private readonly RoutedRequest _request;
    private readonly BudgetReservation _reservation;
    private readonly long _cost;
    private readonly int _outputTokens;
    private readonly ILogger _logger;

    public ModelAttemptClient(RouteTable table, RoutedRequest request, ModelEntry model, in RankedCandidate candidate, BudgetReservation reservation, ILogger logger)
    {
        _logger = logger;
        _table = table;
        _request = request;
        Model = model;
        _cost = candidate.Cost;
        _outputTokens = candidate.OutputTokens;
        _reservation = reservation;
    }

    public ModelEntry Model { get; }

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        using var activity = RoutingTelemetry.Start(Model);
        var attempts = new AttemptBudget(this);
        ChatResponse response;
        try
        {
            response = await Model.Pipeline.ExecuteAsync(
                static async (state, ct) =>
                {
                    var reservation = await state.attempts.ReserveAsync(ct).ConfigureAwait(false);
                    try
                    {
                        return await state.Model.Client.GetResponseAsync(state.messages, state.attempts.Capped(state.options), ct).ConfigureAwait(false);
                    }
                    catch (Exception ex)
                    {
                        await state.attempts.FailedAsync(reservation, ex).ConfigureAwait(false);
                        throw;
                    }
                },
                (Model, messages, options, attempts),
                cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            await attempts.ReleaseUnusedAsync().ConfigureAwait(false);
            RoutingTelemetry.Fail(activity, ex);
            throw;
        }

        response.ModelId ??= Model.Profile.ModelId;
        _table.NoteAlias(response.ModelId, Model);
        long cost = CostOf(attempts.Current, response.Usage);
        var decision = _request.Decide(Model, _cost) with { ActualCost = ActualCost(cost) };
        bool journaled = await _request.JournalAsync(response, attempts.Current, cost, Model, response.ModelId, response.Usage, attempts.Elapsed, _logger).ConfigureAwait(false);
        await SettleWinningAsync(attempts, cost, response.ModelId, response.Usage, ModelChargeKind.Completed, decision, journaled).ConfigureAwait(false);
        (response.AdditionalProperties ??= [])[RoutingDecision.PropertyKey] = decision;
        RoutingTelemetry.Complete(activity, response.ModelId, response.Usage?.InputTokenCount ?? 0, response.Usage?.OutputTokenCount ?? 0, cost, decision);
        return response;
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var activity = RoutingTelemetry.Start(Model);
        var attempts = new AttemptBudget(this);
        StreamStart start;
        try
        {
            start = await Model.Pipeline.ExecuteAsync(
                static async (state, ct) =>
                {
                    var reservation = await state.attempts.ReserveAsync(ct).ConfigureAwait(false);
                    try
                    {
                        return await StartAsync(state.Model.Client, state.messages, state.attempts.Capped(state.options), ct, state.cancellationToken).ConfigureAwait(false);
                    }
                    catch (Exception ex)
                    {
                        await state.attempts.FailedAsync(reservation, ex).ConfigureAwait(false);
                        throw;
                    }
                },
                (Model, messages, options, cancellationToken, attempts),
                cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            await attempts.ReleaseUnusedAsync().ConfigureAwait(false);
            RoutingTelemetry.Fail(activity, ex);
            throw;
        }

        var enumerator = start.Enumerator;
        UsageDetails? usage = null;
        string? modelId = null;
        bool settled = false;
        long cost = 0;
        RoutingDecision? decision = null;
        ChatResponseUpdate? last = null;
        // Kept only when the call is journaled: the whole response is recorded when the stream ends.
        List<ChatResponseUpdate>? received = _request.Journal is null ? null : [];
        try
        {
            bool hasCurrent = start.HasFirst;
            while (hasCurrent)
            {
                var update = enumerator.Current;
                foreach (var content in update.Contents)
                {
                    if (content is UsageContent u)
                    {
                        usage ??= new UsageDetails();
                        usage.Add(u.Details);
                    }
                }

                if (decision is null)
                {
                    update.ModelId ??= Model.Profile.ModelId;
                    modelId = update.ModelId;
                    _table.NoteAlias(modelId, Model);
                    decision = _request.Decide(Model, _cost);
                    (update.AdditionalProperties ??= [])[RoutingDecision.PropertyKey] = decision;
                }

                last = update;
                received?.Add(update);
                yield return update;
                hasCurrent = await enumerator.MoveNextAsync().ConfigureAwait(false);
            }

            // The stream ended: settle now, and end with an update carrying the decision with what was charged.
            cost = CostOf(attempts.Current, usage);
            decision = (decision ?? _request.Decide(Model, _cost)) with { ActualCost = ActualCost(cost) };
            settled = true;
            bool journaled = received is not null
                && await _request.JournalAsync(received.ToChatResponse(), attempts.Current, cost, Model, modelId, usage, attempts.Elapsed, _logger).ConfigureAwait(false);
            await SettleWinningAsync(attempts, cost, modelId, usage, ModelChargeKind.Completed, decision, journaled).ConfigureAwait(false);
            yield return new ChatResponseUpdate
            {
                ModelId = modelId ?? Model.Profile.ModelId,
                ResponseId = last?.ResponseId,
                MessageId = last?.MessageId,
                AdditionalProperties = new() { [RoutingDecision.PropertyKey] = decision },
            };
        }
        finally
        {
            await enumerator.DisposeAsync().ConfigureAwait(false);
            start.Cancellation.Dispose();
            if (!settled)
            {
                // Broken or abandoned mid-stream: the model may have produced anything up to the cap; charge the reservation.
                cost = CostOf(attempts.Current, null);
                var charged = (decision ?? _request.Decide(Model, _cost)) with { ActualCost = ActualCost(cost) };
                await SettleWinningAsync(attempts, cost, modelId, usage, ModelChargeKind.Abandoned, charged).ConfigureAwait(false);
            }

            RoutingTelemetry.Complete(activity, modelId ?? Model.Profile.ModelId, usage?.InputTokenCount ?? 0, usage?.OutputTokenCount ?? 0, cost, decision ?? _request.Decide(Model, _cost));
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => Model.Client.GetService(serviceType, serviceKey);

    public void Dispose()
    {
        // The attempt owns nothing; the model's client belongs to its registration.
    }

    /// <summary>
    /// What the call was charged, in dollars, for <see cref="RoutingDecision.ActualCost"/>: the winning attempt's settled
    /// cost plus every failed attempt (retries and failed-over models) that was charged at its reservation, so the sum the
    /// runtime records is exactly what the budget account charged for the call.
    /// </summary>
    private decimal ActualCost(long winningUnits) => BudgetUnits.ToDollars(winningUnits + _request.ChargedFailureUnits);

    /// <summary>
    /// The options the model is called with: a copy of the call's (or new ones), capped at the output tokens reserved and
    /// naming the model's own id, made right before the model's client is called so nothing between the router and the
    /// model can raise the cap past the reservation.
    /// </summary>
    private ChatOptions Capped(ChatOptions? options)
    {
        var capped = options?.Clone() ?? new ChatOptions();
        capped.MaxOutputTokens = _outputTokens;
        capped.ModelId = Model.Profile.ModelId;
        return capped;
    }

    /// <summary>
    /// What the winning attempt cost, in units: its usage priced, or the whole reservation when the model reported no
    /// usage or an incomplete one (input or output tokens missing): never under-count.
    /// </summary>
    private long CostOf(BudgetReservation reservation, UsageDetails? usage) =>
        usage is { InputTokenCount: not null, OutputTokenCount: not null } ? Model.CostUnitsOf(usage) : BudgetUnits.FromDollarsCeiling(reservation.Amount);

    /// <summary>
    /// Settles the winning attempt at <paramref name="cost"/> and reports the charge; when the model produced more than
    /// was reserved (it ignored the output cap) the real cost is still charged, since it was spent, and the call is
    /// logged and counted as a failure of the model's health.
    /// </summary>
    private async ValueTask SettleWinningAsync(AttemptBudget attempts, long cost, string? modelId, UsageDetails? usage, ModelChargeKind kind, RoutingDecision decision, bool journaled = false)
    {
        var reservation = attempts.Current;
        await _request.ChargeAsync(reservation, cost, Model, modelId, usage, attempts.Elapsed, kind, decision, journaled).ConfigureAwait(false);
        long reserved = BudgetUnits.FromDollarsCeiling(reservation.Amount);
        if (cost > reserved || usage?.OutputTokenCount > _outputTokens)
        {
            Log.ExceededReservation(_logger, Model.Profile.Id, usage?.OutputTokenCount ?? 0, _outputTokens, BudgetUnits.ToDollars(cost), reservation.Amount);
            await ModelPipelines.ReportExceededReservationAsync(Model.Pipeline).ConfigureAwait(false);
        }
    }

    /// <summary>Starts the stream and waits for its first update inside the pipeline, so retries, the breaker and the timeout cover it.</summary>
    /// <remarks>The stream runs on its own token source: Polly's per-attempt token is pooled and must not outlive the attempt.</remarks>
    private static async ValueTask<StreamStart> StartAsync(IChatClient client, IEnumerable<ChatMessage> messages, ChatOptions? options, CancellationToken attemptToken, CancellationToken callToken)
    {
        var cancellation = CancellationTokenSource.CreateLinkedTokenSource(callToken);
        IAsyncEnumerator<ChatResponseUpdate>? enumerator = null;
        try
        {
            using (attemptToken.Register(static s => ((CancellationTokenSource)s!).Cancel(), cancellation))
            {
                enumerator = client.GetStreamingResponseAsync(messages, options, cancellation.Token).GetAsyncEnumerator(cancellation.Token);
                bool hasFirst = await enumerator.MoveNextAsync().ConfigureAwait(false);
                return new StreamStart(enumerator, hasFirst, cancellation);
            }
        }
        catch
        {
            if (enumerator is not null)
            {
                await enumerator.DisposeAsync().ConfigureAwait(false);
            }

            cancellation.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The budget of each attempt of one call on this model. The first attempt uses the reservation the router made
    /// when it chose the model; each retry Polly makes reserves the same worst case again, inside the pipeline, and a
    /// retry that does not fit the budget stops the retries with <see cref="BudgetExhaustedException"/>. A failed attempt
    /// is released only when it certainly cost nothing (<see cref="TransientFailures.CertainlyNotBilled"/>); otherwise it
    /// is charged at its reservation, so spend never under-counts and never passes a limit.
    /// </summary>
    private sealed class AttemptBudget(ModelAttemptClient owner)
    {
        private BudgetReservation? _unused = owner._reservation;
        private long _started = owner._request.TimeProvider.GetTimestamp();

        /// <summary>The reservation of the attempt that succeeded (the last one reserved).</summary>
        public BudgetReservation Current { get; private set; } = owner._reservation;

        /// <summary>How long the current attempt has run.</summary>
        public TimeSpan Elapsed => owner._request.TimeProvider.GetElapsedTime(_started);

        public ChatOptions Capped(ChatOptions? options) => owner.Capped(options);

        public async ValueTask<BudgetReservation> ReserveAsync(CancellationToken cancellationToken)
        {
            if (_unused is { } first)
            {
                _unused = null;
                _started = owner._request.TimeProvider.GetTimestamp();
                return Current = first;
            }

            var reservation = await owner._request.ReserveAsync(owner.Model, owner._cost, cancellationToken).ConfigureAwait(false)
                ?? throw owner._request.BudgetExhausted(owner._cost);
            owner._request.Retried();
            _started = owner._request.TimeProvider.GetTimestamp();
            return Current = reservation;
        }

        public async ValueTask FailedAsync(BudgetReservation reservation, Exception exception)
        {
            if (TransientFailures.CertainlyNotBilled(exception))
            {
                await owner._request.ReleaseAsync(reservation).ConfigureAwait(false);
                return;
            }

            long units = BudgetUnits.FromDollarsCeiling(reservation.Amount);
            var decision = owner._request.Decide(owner.Model, owner._cost);
            if (await owner._request.ChargeAsync(reservation, units, owner.Model, null, null, Elapsed, ModelChargeKind.Failed, decision).ConfigureAwait(false))
            {
                owner._request.ChargedFailure(units);
            }
        }

        /// <summary>Releases the first reservation when no attempt ran (the circuit was open, or the call was cancelled before it).</summary>
        public async ValueTask ReleaseUnusedAsync()
        {
            if (_unused is { } first)
            {
                _unused = null;
                await owner._request.ReleaseAsync(first).ConfigureAwait(false);
            }
        }
    }

    private readonly record struct StreamStart(IAsyncEnumerator<ChatResponseUpdate> Enumerator, bool HasFirst, CancellationTokenSource Cancellation);

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "Model {ModelId} produced {OutputTokens} output tokens where {ReservedTokens} were reserved; it cost ${Cost} against a reservation of ${Reserved}. The real cost was charged and the call counts as a failure of the model's health.")]
        public static partial void ExceededReservation(ILogger logger, string modelId, long outputTokens, int reservedTokens, decimal cost, decimal reserved);
    }
}
