namespace VirtualItCompany.AspNetCore;

/// <summary>The webhook store of a host without <see cref="VirtualItCompanyWebhookOptions.SqliteConnectionString"/>: everything is lost on restart.</summary>
internal sealed class InMemoryWebhookStore : IWebhookStore
{
    private readonly Lock _gate = new();
    private readonly List<WebhookSubscription> _subscriptions = [];
    private readonly List<WebhookDelivery> _deliveries = [];
    private readonly Dictionary<string, long> _cursors = new(StringComparer.Ordinal);

    public Task<bool> AddSubscriptionAsync(WebhookSubscription subscription, int maxPerClient, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_subscriptions.Count(s => s.Client == subscription.Client) >= maxPerClient)
            {
                return Task.FromResult(false);
            }

            _subscriptions.Add(subscription);
            return Task.FromResult(true);
        }
    }

    public Task<IReadOnlyList<WebhookSubscription>> ListSubscriptionsAsync(string? client, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<WebhookSubscription>>([.. _subscriptions.Where(s => client is null || s.Client == client)]);
        }
    }

    public Task<bool> DeleteSubscriptionAsync(string client, string id, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_subscriptions.RemoveAll(s => s.Id == id && s.Client == client) == 0)
            {
                return Task.FromResult(false);
            }

            for (int i = 0; i < _deliveries.Count; i++)
            {
                if (_deliveries[i].SubscriptionId == id && _deliveries[i].Status == WebhookDeliveryStatus.Pending)
                {
                    _deliveries[i] = _deliveries[i] with { Status = WebhookDeliveryStatus.Failed, NextAttemptAt = null, LastError = "The subscription was deleted." };
                }
            }

            return Task.FromResult(true);
        }
    }

    public Task<IReadOnlyDictionary<string, long>> GetCursorsAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyDictionary<string, long>>(new Dictionary<string, long>(_cursors, StringComparer.Ordinal));
        }
    }

    public Task QueueAsync(string projectId, long throughVersion, IReadOnlyList<WebhookDelivery> deliveries, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            foreach (var d in deliveries)
            {
                if (!_deliveries.Any(x => x.SubscriptionId == d.SubscriptionId && x.ProjectId == d.ProjectId && x.EventVersion == d.EventVersion))
                {
                    _deliveries.Add(d);
                }
            }

            _cursors[projectId] = Math.Max(throughVersion, _cursors.GetValueOrDefault(projectId));
            return Task.CompletedTask;
        }
    }

    public Task<IReadOnlyList<WebhookDelivery>> GetDueAsync(DateTimeOffset now, int maxCount, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<WebhookDelivery>>([.. _deliveries.Where(d => d.Status == WebhookDeliveryStatus.Pending && d.NextAttemptAt <= now).Take(maxCount)]);
        }
    }

    public Task UpdateAsync(WebhookDelivery delivery, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            int i = _deliveries.FindIndex(d => d.Id == delivery.Id);
            if (i >= 0 && _deliveries[i].Status == WebhookDeliveryStatus.Pending)
            {
                _deliveries[i] = delivery;
            }

            return Task.CompletedTask;
        }
    }

    public Task<IReadOnlyList<WebhookDelivery>> ListRecentAsync(int maxCount, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<WebhookDelivery>>([.. Enumerable.Reverse(_deliveries).Take(maxCount)]);
        }
    }
}
