using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace VirtualItCompany.Routing;

/// <summary>
/// One attempt of a routed call on one model: runs it through the model's resilience pipeline (each retry reserving
/// its own budget), settles the budget from the real usage (charging failed attempts that may have been billed at their
/// reservation, releasing only those that certainly were not), and stamps the routing decision on the response.
/// </summary>
internal sealed partial class ModelAttemptClient : IChatClient
{
    private readonly RouteTable _table;
    private readonly BudgetLedger _ledger;
    private readonly RoutedRequest _request;
    private readonly BudgetReservation _reservation;
    private readonly long _cost;
    private readonly int _outputTokens;
    private readonly ILogger _logger;

    public ModelAttemptClient(RouteTable table, BudgetLedger ledger, RoutedRequest request, ModelEntry model, in RankedCandidate candidate, in BudgetReservation reservation, ILogger logger)
    {
        _logger = logger;
        _table = table;
        _ledger = ledger;
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
                    var reservation = state.attempts.Reserve();
                    try
                    {
                        return await state.Model.Client.GetResponseAsync(state.messages, state.attempts.Capped(state.options), ct).ConfigureAwait(false);
                    }
                    catch (Exception ex)
                    {
                        state.attempts.Failed(reservation, ex);
                        throw;
                    }
                },
                (Model, messages, options, attempts),
                cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            attempts.ReleaseUnused();
            RoutingTelemetry.Fail(activity, ex);
            throw;
        }

        long cost = await SettleWinningAsync(attempts.Current, response.Usage).ConfigureAwait(false);
        response.ModelId ??= Model.Profile.ModelId;
        _table.NoteAlias(response.ModelId, Model);
        var decision = _request.Decide(Model, _cost) with { ActualCost = ActualCost(cost) };
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
                    var reservation = state.attempts.Reserve();
                    try
                    {
                        return await StartAsync(state.Model.Client, state.messages, state.attempts.Capped(state.options), ct, state.cancellationToken).ConfigureAwait(false);
                    }
                    catch (Exception ex)
                    {
                        state.attempts.Failed(reservation, ex);
                        throw;
                    }
                },
                (Model, messages, options, cancellationToken, attempts),
                cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            attempts.ReleaseUnused();
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
                yield return update;
                hasCurrent = await enumerator.MoveNextAsync().ConfigureAwait(false);
            }

            // The stream ended: settle now, and end with an update carrying the decision with what was charged.
            cost = await SettleWinningAsync(attempts.Current, usage).ConfigureAwait(false);
            settled = true;
            decision = (decision ?? _request.Decide(Model, _cost)) with { ActualCost = ActualCost(cost) };
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
                cost = await SettleWinningAsync(attempts.Current, null).ConfigureAwait(false);
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
    /// runtime records is exactly what the ledger charged for the call.
    /// </summary>
    private decimal ActualCost(long winningUnits) => CostUnits.ToDollars(winningUnits + _request.ChargedFailureUnits);

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
    /// Settles the winning attempt; when the model produced more than was reserved (it ignored the output cap) the real
    /// cost is still charged, since it was spent, and the call is logged and counted as a failure of the model's health.
    /// </summary>
    private async ValueTask<long> SettleWinningAsync(BudgetReservation reservation, UsageDetails? usage)
    {
        long cost = Settle(reservation, usage);
        if (cost > reservation.Units || usage?.OutputTokenCount > _outputTokens)
        {
            Log.ExceededReservation(_logger, Model.Profile.Id, usage?.OutputTokenCount ?? 0, _outputTokens, CostUnits.ToDollars(cost), CostUnits.ToDollars(reservation.Units));
            await ModelPipelines.ReportExceededReservationAsync(Model.Pipeline).ConfigureAwait(false);
        }

        return cost;
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
    /// Settles <paramref name="reservation"/> at the cost of <paramref name="usage"/>, or at the full reservation when the
    /// model reported no usage or an incomplete one (input or output tokens missing): never under-count.
    /// </summary>
    private long Settle(in BudgetReservation reservation, UsageDetails? usage)
    {
        long units = usage is { InputTokenCount: not null, OutputTokenCount: not null } ? Model.CostUnitsOf(usage) : reservation.Units;
        _ledger.SettleUnits(reservation, units);
        return units;
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

        /// <summary>The reservation of the attempt that succeeded (the last one reserved).</summary>
        public BudgetReservation Current { get; private set; } = owner._reservation;

        public ChatOptions Capped(ChatOptions? options) => owner.Capped(options);

        public BudgetReservation Reserve()
        {
            if (_unused is { } first)
            {
                _unused = null;
                return Current = first;
            }

            if (!owner._ledger.TryReserveUnits(owner._request.Account, owner._cost, out var reservation))
            {
                throw owner._request.BudgetExhausted(owner._cost);
            }

            owner._request.Retried();
            return Current = reservation;
        }

        public void Failed(in BudgetReservation reservation, Exception exception)
        {
            if (TransientFailures.CertainlyNotBilled(exception))
            {
                owner._ledger.Release(reservation);
            }
            else
            {
                owner._ledger.SettleUnits(reservation, reservation.Units);
                owner._request.ChargedFailure(reservation.Units);
            }
        }

        /// <summary>Releases the first reservation when no attempt ran (the circuit was open, or the call was cancelled before it).</summary>
        public void ReleaseUnused()
        {
            if (_unused is { } first)
            {
                _unused = null;
                owner._ledger.Release(first);
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
