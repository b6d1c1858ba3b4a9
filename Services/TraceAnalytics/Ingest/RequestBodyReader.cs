using System.IO.Compression;

namespace TradingAspire.TraceAnalytics.Ingest;

/// <summary>A request body read into memory, or the status and reason it was refused with.</summary>
public sealed record RequestBody(ReadOnlyMemory<byte> Content, int StatusCode, string Error)
{
    public bool IsRead => StatusCode == StatusCodes.Status200OK;

    public static RequestBody Read(ReadOnlyMemory<byte> content) => new(content, StatusCodes.Status200OK, "");

    public static RequestBody Refused(int statusCode, string error) => new(ReadOnlyMemory<byte>.Empty, statusCode, error);
}

/// <summary>Reads an OTLP/HTTP body whole, undoing <c>Content-Encoding: gzip</c>, within a size limit.</summary>
public static class RequestBodyReader
{
    public static async Task<RequestBody> ReadAsync(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
    {
        var encoding = request.Headers.ContentEncoding.ToString().Trim();
        var gzip = encoding.Equals("gzip", StringComparison.OrdinalIgnoreCase);
        if (!gzip && encoding.Length > 0 && !encoding.Equals("identity", StringComparison.OrdinalIgnoreCase))
        {
            return RequestBody.Refused(StatusCodes.Status415UnsupportedMediaType,
                $"Content-Encoding '{encoding}' is not supported; use gzip or none");
        }

        if (request.ContentLength > maxBytes)
        {
            return TooLarge(maxBytes);
        }

        try
        {
            if (!gzip)
            {
                return await CopyAsync(request.Body, maxBytes, cancellationToken).ConfigureAwait(false);
            }

            await using var decompressed = new GZipStream(request.Body, CompressionMode.Decompress, leaveOpen: true);
            return await CopyAsync(decompressed, maxBytes, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidDataException ex)
        {
            return RequestBody.Refused(StatusCodes.Status400BadRequest, $"malformed gzip body: {ex.Message}");
        }
        catch (BadHttpRequestException ex)
        {
            return RequestBody.Refused(ex.StatusCode, ex.Message);
        }
    }

    private static async Task<RequestBody> CopyAsync(Stream source, long maxBytes, CancellationToken cancellationToken)
    {
        var content = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await source.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (content.Length + read > maxBytes)
            {
                return TooLarge(maxBytes);
            }

            content.Write(chunk, 0, read);
        }

        return RequestBody.Read(new ReadOnlyMemory<byte>(content.GetBuffer(), 0, (int)content.Length));
    }

    private static RequestBody TooLarge(long maxBytes) =>
        RequestBody.Refused(StatusCodes.Status413PayloadTooLarge, $"the body exceeds {maxBytes} bytes");
}
