using System.Globalization;
using System.Text;

namespace VirtualItCompany.Providers;

/// <summary>
/// Sits under the provider's SDK on its HttpClient and classifies what the SDK would report loosely: an error status (with
/// its Retry-After and the provider's explanation), an HTML page where JSON was expected, a connection that could not be
/// made, a timeout. It throws a <see cref="ModelProviderException"/> (and notes it on the <see cref="ProviderCall"/> in
/// flight, for SDKs that wrap what their transport throws).
/// </summary>
internal sealed class ProviderHttpHandler(ProviderInfo info) : DelegatingHandler(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
{
    private const int MaxErrorBody = 16 * 1024;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex) when (ProviderErrors.IsConnectionFailure(ex))
        {
            throw Note(ProviderErrors.Unreachable(info, null, ex, ex.HttpRequestError == HttpRequestError.NameResolutionError ? "the host name could not be resolved" : "the connection was refused or failed"));
        }
        catch (HttpRequestException ex)
        {
            // Sent, then the connection broke before a whole answer came back: the provider may have done the work.
            throw Note(ProviderErrors.InvalidResponse(info, null, "a connection that broke before the answer was complete", ex));
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw Note(ProviderErrors.TimedOut(info, null, ex));
        }

        string? mediaType = response.Content.Headers.ContentType?.MediaType;
        if (response.IsSuccessStatusCode && !ProviderErrors.IsHtml(mediaType, null))
        {
            return response;
        }

        using (response)
        {
            string body = await ReadSomeAsync(response.Content, cancellationToken).ConfigureAwait(false);
            throw Note(ProviderErrors.FromStatus(info, null, (int)response.StatusCode, mediaType, body, RetryAfterOf(response)));
        }
    }

    private static ModelProviderException Note(ModelProviderException failure)
    {
        if (ProviderCall.Current is { } call)
        {
            call.Failure = failure;
        }

        return failure;
    }

    private TimeSpan? RetryAfterOf(HttpResponseMessage response)
    {
        // OpenAI also sends retry-after-ms, more precise than the standard header.
        if (response.Headers.TryGetValues("retry-after-ms", out var ms)
            && double.TryParse(ms.FirstOrDefault(), NumberStyles.Float, CultureInfo.InvariantCulture, out double millis) && millis >= 0)
        {
            return TimeSpan.FromMilliseconds(millis);
        }

        if (response.Headers.RetryAfter is { } retryAfter)
        {
            if (retryAfter.Delta is { } delta)
            {
                return delta;
            }

            if (retryAfter.Date is { } date)
            {
                var wait = date - info.TimeProvider.GetUtcNow();
                return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
            }
        }

        return response.Headers.TryGetValues("retry-after", out var raw) ? ModelProviderException.ParseRetryAfter(raw.FirstOrDefault(), info.TimeProvider.GetUtcNow()) : null;
    }

    private static async Task<string> ReadSomeAsync(HttpContent content, CancellationToken cancellationToken)
    {
        try
        {
            using var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            var buffer = new byte[MaxErrorBody];
            int total = 0;
            int read;
            while (total < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken).ConfigureAwait(false)) > 0)
            {
                total += read;
            }

            return Encoding.UTF8.GetString(buffer, 0, total);
        }
        catch (HttpRequestException)
        {
            return "";
        }
        catch (IOException)
        {
            return "";
        }
    }
}
