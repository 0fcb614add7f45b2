namespace VirtualItCompany.Workspace;

/// <summary>Asks a local deployment for its health over HTTP.</summary>
internal static class HealthProbe
{
    // One client for every workspace; deployments are on 127.0.0.1, so no proxy may stand in between.
    private static readonly HttpClient Client = new(new SocketsHttpHandler
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(1),
    })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    /// <summary>Sends a GET and returns the status code, or <see langword="null"/> when nothing answered in time.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static async Task<int?> GetStatusAsync(Uri url, TimeSpan timeout, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        using var timeoutSource = new CancellationTokenSource(timeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutSource.Token);
        try
        {
            using var response = await Client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
            return (int)response.StatusCode;
        }
        catch (HttpRequestException)
        {
            return null;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }
}
