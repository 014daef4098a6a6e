using System.Buffers;
using System.IO.Compression;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using FalcoCheck.Configuration;
using FalcoCheck.Runtime;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace FalcoCheck.Alerts;

/// <summary>
/// The endpoint for Falco's <c>http_output</c> (and forwarders): <c>POST</c> to any path with one alert, an array
/// or NDJSON; <c>GET /healthz</c> answers <c>{"status":"ok"}</c> like Falco's own web server.
/// Answers: 200 once the alerts are queued for at least one log sink they go to (with counts, and reasons for values
/// that were not alerts; a sink whose queue and spool are full drops them for itself); 400 with the reason when nothing
/// in the body was an alert; 401 for a missing or wrong token; 413 past <c>max_body_size</c>; 503 with
/// <c>Retry-After</c> only when every sink they go to has its queue and spool full (then nothing was queued).
/// </summary>
/// <remarks>
/// Kestrel through <c>WebApplication.CreateSlimBuilder</c> and one <see cref="RequestDelegate"/>: it is trimmed and
/// NativeAOT-ready (no MVC, no reflection-based binding or JSON), and gives what <c>HttpListener</c> does not on
/// Linux: TLS from PEM files, a body-size limit enforced while reading (413), and header and body-rate timeouts.
/// </remarks>
/// <param name="pool">Where body buffers are rented; <see cref="ArrayPool{T}.Shared"/> unless a test watches the returns.</param>
internal sealed class AlertReceiver(AlertsHttpConfig config, AlertIntake intake, ILogger logger, ArrayPool<byte>? pool = null) : IAsyncDisposable
{
    private readonly ArrayPool<byte> _pool = pool ?? ArrayPool<byte>.Shared;

    /// <summary>A body must arrive within this, however slowly it trickles (Kestrel's data rate check comes first).</summary>
    private static readonly TimeSpan BodyTimeout = TimeSpan.FromSeconds(30);

    /// <summary>What a 503 asks the sender to wait: long enough for a sink to drain a batch.</summary>
    private const int RetryAfterSeconds = 5;

    private readonly AlertToken? _token = config.Token is { } token ? new AlertToken(token, config.TokenHeader) : null;
    private WebApplication? _app;

    /// <summary>The address bound, with the real port when <c>listen</c> asked for port 0; null before start.</summary>
    public Uri? Address { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        WebApplicationBuilder builder = InnerWebHost.CreateBuilder();
        X509Certificate2? certificate = config.TlsCert is { } cert ? X509Certificate2.CreateFromPemFile(cert, config.TlsKey) : null;
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = config.MaxBodyBytes;
            kestrel.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(15);
            kestrel.Listen(config.Listen, listen =>
            {
                if (certificate is not null)
                {
                    listen.UseHttps(certificate);
                }
            });
        });

        _app = builder.Build();
        _app.Run(HandleAsync);
        await _app.StartAsync(cancellationToken).ConfigureAwait(false);

        string bound = InnerWebHost.BoundAddress(_app);
        Address = new Uri(bound.Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal).Replace("[::]", "[::1]", StringComparison.Ordinal));
        AlertLog.Listening(logger, bound);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_app is not null)
        {
            await _app.StopAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync().ConfigureAwait(false);
            _app = null;
        }
    }

    private async Task HandleAsync(HttpContext http)
    {
        HttpRequest request = http.Request;
        if (HttpMethods.IsGet(request.Method) && request.Path == "/healthz")
        {
            await WriteAsync(http, StatusCodes.Status200OK, static json => json.WriteString("status", "ok")).ConfigureAwait(false);
            return;
        }

        if (!HttpMethods.IsPost(request.Method))
        {
            http.Response.Headers.Allow = "POST";
            await RefuseAsync(http, StatusCodes.Status405MethodNotAllowed, "only POST is accepted (Falco's http_output posts each alert)").ConfigureAwait(false);
            return;
        }

        if (_token is not null && !_token.Accepts(request.Headers[_token.Header]))
        {
            await RefuseAsync(http, StatusCodes.Status401Unauthorized, $"missing or wrong token in the {_token.Header} header").ConfigureAwait(false);
            return;
        }

        if (request.ContentLength > config.MaxBodyBytes)
        {
            await RefuseAsync(http, StatusCodes.Status413PayloadTooLarge, TooLarge()).ConfigureAwait(false);
            return;
        }

        // The holder always has the one live buffer, grown or not, so whatever stops the read (a corrupt gzip body,
        // Kestrel's 413 mid-read, a client gone, the body timeout) returns exactly that one, once.
        var body = new BodyBuffer(_pool, (int)Math.Min(request.ContentLength ?? 16 * 1024, config.MaxBodyBytes) + 1);
        try
        {
            int length;
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted))
            {
                timeout.CancelAfter(BodyTimeout);
                length = await ReadBodyAsync(request, body, timeout.Token).ConfigureAwait(false);
            }

            if (length > config.MaxBodyBytes)
            {
                await RefuseAsync(http, StatusCodes.Status413PayloadTooLarge, TooLarge()).ConfigureAwait(false);
                return;
            }

            await AnswerAsync(http, intake.Submit(body.Array.AsSpan(0, length))).ConfigureAwait(false);
        }
        catch (BadHttpRequestException e)
        {
            // Kestrel's own limits while reading: 413 past MaxRequestBodySize, 408 for a body too slow.
            await RefuseAsync(http, e.StatusCode, e.StatusCode == StatusCodes.Status413PayloadTooLarge ? TooLarge() : e.Message).ConfigureAwait(false);
        }
        catch (InvalidDataException)
        {
            await RefuseAsync(http, StatusCodes.Status400BadRequest, "Content-Encoding is gzip but the body is not").ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!http.RequestAborted.IsCancellationRequested)
        {
            await RefuseAsync(http, StatusCodes.Status408RequestTimeout, "the body did not arrive in time").ConfigureAwait(false);
        }
        finally
        {
            body.Return();
        }
    }

    /// <summary>Reads the body (gunzipped when sent gzip) into the pooled buffer, growing it, stopping one byte past the limit.</summary>
    private async Task<int> ReadBodyAsync(HttpRequest request, BodyBuffer buffer, CancellationToken cancellationToken)
    {
        bool gzip = string.Equals(request.Headers.ContentEncoding, "gzip", StringComparison.OrdinalIgnoreCase);
        Stream body = gzip ? new GZipStream(request.Body, CompressionMode.Decompress, leaveOpen: true) : request.Body;
        await using (body.ConfigureAwait(false))
        {
            int length = 0;
            long limit = config.MaxBodyBytes + 1;
            while (length < limit)
            {
                if (length == buffer.Array.Length)
                {
                    buffer.Grow(length, (int)Math.Min((long)length * 2, limit));
                }

                int read = await body.ReadAsync(buffer.Array.AsMemory(length, (int)Math.Min(buffer.Array.Length - length, limit - length)), cancellationToken)
                    .ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                length += read;
            }

            return length;
        }
    }

    /// <summary>The one live body buffer of a request: grown in place, given back to the pool once.</summary>
    private sealed class BodyBuffer(ArrayPool<byte> pool, int size)
    {
        private bool _returned;

        public byte[] Array { get; private set; } = pool.Rent(size);

        /// <summary>Moves the first <paramref name="length"/> bytes to a larger buffer; the holder has it before the old one goes back.</summary>
        public void Grow(int length, int size)
        {
            byte[] larger = pool.Rent(size);
            Array.AsSpan(0, length).CopyTo(larger);
            byte[] old = Array;
            Array = larger;
            pool.Return(old);
        }

        public void Return()
        {
            if (!_returned)
            {
                _returned = true;
                pool.Return(Array);
            }
        }
    }

    private async Task AnswerAsync(HttpContext http, IntakeResult result)
    {
        if (result.Full)
        {
            http.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await RefuseAsync(http, StatusCodes.Status503ServiceUnavailable, "the queue and spool of every log sink these alerts go to are full; retry later").ConfigureAwait(false);
            return;
        }

        if (result.Accepted == 0 && result.Snapshots == 0)
        {
            await RefuseAsync(http, StatusCodes.Status400BadRequest, result.Reasons.Count > 0 ? result.Reasons[0] : "no alert in the body").ConfigureAwait(false);
            return;
        }

        if (result.Rejected > 0)
        {
            AlertLog.Rejected(logger, "http", result.Rejected, result.Reasons[0]);
        }

        if (result.Notices.Count > 0)
        {
            AlertLog.SnapshotNotices(logger, "http", result.Notices.Count, result.Notices[0]);
        }

        await WriteAsync(http, StatusCodes.Status200OK, json =>
        {
            json.WriteNumber("accepted", result.Accepted);
            json.WriteNumber("rejected", result.Rejected);
            json.WriteStartArray("errors");
            foreach (string reason in result.Reasons)
            {
                json.WriteStringValue(reason);
            }

            json.WriteEndArray();
            if (result.Snapshots > 0)
            {
                // Falco's metrics snapshots: read as metrics, not counted in accepted.
                json.WriteNumber("snapshots", result.Snapshots);
                json.WriteStartArray("notices");
                foreach (string notice in result.Notices)
                {
                    json.WriteStringValue(notice);
                }

                json.WriteEndArray();
            }
        }).ConfigureAwait(false);
    }

    private string TooLarge() => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"the body is larger than max_body_size ({config.MaxBodyBytes} bytes)");

    private Task RefuseAsync(HttpContext http, int status, string reason)
    {
        AlertLog.RequestRefused(logger, status, reason);
        return WriteAsync(http, status, json => json.WriteString("error", reason));
    }

    private static async Task WriteAsync(HttpContext http, int status, Action<Utf8JsonWriter> body)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json";
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            body(json);
            json.WriteEndObject();
        }

        buffer.Write("\n"u8);
        await http.Response.Body.WriteAsync(buffer.WrittenMemory, http.RequestAborted).ConfigureAwait(false);
    }
}
