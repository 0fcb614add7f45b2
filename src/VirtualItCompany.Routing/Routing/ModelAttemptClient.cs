using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace VirtualItCompany.Routing;

/// <summary>
/// One attempt of a routed call on one model: runs it through the model's resilience pipeline, settles the budget
/// from the real usage (or releases it on failure), and stamps the routing decision on the response.
/// </summary>
internal sealed class ModelAttemptClient : IChatClient
{
    private readonly RouteTable _table;
    private readonly BudgetLedger _ledger;
    private readonly RoutedRequest _request;
    private readonly BudgetReservation _reservation;
    private readonly long _cost;
    private readonly int _outputTokens;

    public ModelAttemptClient(RouteTable table, BudgetLedger ledger, RoutedRequest request, ModelEntry model, in RankedCandidate candidate, in BudgetReservation reservation)
    {
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
        options ??= OptionsForCallWithout();
        ChatResponse response;
        try
        {
            response = await Model.Pipeline.ExecuteAsync(
                static (state, ct) => new ValueTask<ChatResponse>(state.Model.Client.GetResponseAsync(state.messages, state.options, ct)),
                (Model, messages, options),
                cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            _ledger.Release(_reservation);
            RoutingTelemetry.Fail(activity, ex);
            throw;
        }

        long cost = Settle(response.Usage);
        response.ModelId ??= Model.Profile.ModelId;
        _table.NoteAlias(response.ModelId, Model);
        var decision = _request.Decide(Model, _cost);
        (response.AdditionalProperties ??= [])[RoutingDecision.PropertyKey] = decision;
        RoutingTelemetry.Complete(activity, response.ModelId, response.Usage?.InputTokenCount ?? 0, response.Usage?.OutputTokenCount ?? 0, cost, decision);
        return response;
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var activity = RoutingTelemetry.Start(Model);
        options ??= OptionsForCallWithout();
        StreamStart start;
        try
        {
            start = await Model.Pipeline.ExecuteAsync(
                static (state, ct) => StartAsync(state.Model.Client, state.messages, state.options, ct, state.cancellationToken),
                (Model, messages, options, cancellationToken),
                cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            _ledger.Release(_reservation);
            RoutingTelemetry.Fail(activity, ex);
            throw;
        }

        var enumerator = start.Enumerator;
        UsageDetails? usage = null;
        string? modelId = null;
        bool completed = false;
        RoutingDecision? decision = null;
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

                yield return update;
                hasCurrent = await enumerator.MoveNextAsync().ConfigureAwait(false);
            }

            completed = true;
        }
        finally
        {
            await enumerator.DisposeAsync().ConfigureAwait(false);
            start.Cancellation.Dispose();
            long cost = Settle(completed ? usage : null);
            RoutingTelemetry.Complete(activity, modelId ?? Model.Profile.ModelId, usage?.InputTokenCount ?? 0, usage?.OutputTokenCount ?? 0, cost, decision ?? _request.Decide(Model, _cost));
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => Model.Client.GetService(serviceType, serviceKey);

    public void Dispose()
    {
        // The attempt owns nothing; the model's client belongs to its registration.
    }

    /// <summary>Options for a call made without any: the model must still be capped at what was reserved.</summary>
    private ChatOptions OptionsForCallWithout() => new() { MaxOutputTokens = _outputTokens, ModelId = Model.Profile.ModelId };

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

    /// <summary>Settles the reservation at the cost of <paramref name="usage"/>, or at the full reservation when the model reported none (never under-count).</summary>
    private long Settle(UsageDetails? usage)
    {
        long units = usage is null ? _reservation.Units : Model.CostUnitsOf(usage);
        _ledger.SettleUnits(_reservation, units);
        return units;
    }

    private readonly record struct StreamStart(IAsyncEnumerator<ChatResponseUpdate> Enumerator, bool HasFirst, CancellationTokenSource Cancellation);
}
