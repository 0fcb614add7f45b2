using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace VirtualItCompany.AspNetCore;

/// <summary>Reads a JSON body with a size limit, so that too large is 413 and malformed is 400, both before anything is done.</summary>
internal static class JsonBody
{
    public readonly record struct Result<T>(T? Value, IResult? Error);

    public static async Task<Result<T>> ReadAsync<T>(HttpContext http, JsonTypeInfo<T> typeInfo, long limit, bool optional)
        where T : class
    {
        var request = http.Request;
        if (request.ContentLength > limit)
        {
            return new(null, Problems.TooLarge(limit));
        }

        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = limit; // the server enforces it too, for bodies without a length
        }

        byte[] buffer = ArrayPool<byte>.Shared.Rent(4096);
        int length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    byte[] larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                int read = await request.Body.ReadAsync(buffer.AsMemory(length), http.RequestAborted).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                length += read;
                if (length > limit)
                {
                    return new(null, Problems.TooLarge(limit));
                }
            }

            if (length == 0)
            {
                return optional ? new(null, null) : new(null, Problems.BadRequest($"A JSON body ({typeof(T).Name}) is needed."));
            }

            if (!request.HasJsonContentType())
            {
                return new(null, TypedResults.Problem("Send the body as application/json.", statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type"));
            }

            try
            {
                var value = JsonSerializer.Deserialize(buffer.AsSpan(0, length), typeInfo);
                return value is null ? new(null, Problems.BadRequest($"The body holds null, not a {typeof(T).Name}.")) : new(value, null);
            }
            catch (JsonException e)
            {
                return new(null, Problems.BadRequest($"The body is not a valid {typeof(T).Name}: {e.Message}"));
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return new(null, Problems.TooLarge(limit));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
