using System.Buffers;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using FalcoCheck.Parsing;

namespace FalcoCheck.Scraping;

/// <summary>
/// HTTP GET of one metrics endpoint. Every failure (refused, DNS, TLS, timeout, non-2xx, oversize body) comes
/// back as a <see cref="ScrapeResult"/> with a reason; nothing is thrown upward (CONVENTIONS 13).
/// </summary>
internal sealed class Scraper : IDisposable
{
    /// <summary>Prometheus text 0.0.4, which Falco serves.</summary>
    private const string PrometheusAccept = "text/plain;version=0.0.4;q=1,*/*;q=0.1";

    /// <summary>OpenMetrics 1.0 first, Prometheus text as fallback.</summary>
    private const string OpenMetricsAccept = "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

    private const int InitialBufferBytes = 64 * 1024;

    private readonly ScraperOptions _options;
    private readonly SharedScrapeHandlers.Lease _handler;
    private readonly HttpClient _client;

    public Scraper(ScraperOptions options)
    {
        _options = options;
        _handler = SharedScrapeHandlers.Rent(options);
        _client = new HttpClient(_handler.Handler, disposeHandler: false)
        {
            // Timeouts are enforced per phase below, so the client's own stays out of the way.
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    public async Task<ScrapeResult> ScrapeAsync(CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        using var request = new HttpRequestMessage(HttpMethod.Get, _options.Endpoint);
        var headerError = AddHeaders(request);
        if (headerError is not null)
        {
            return ScrapeResult.Failed(headerError, 0, clock.Elapsed);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.ConnectTimeout + _options.ReadTimeout);
        var phase = "connecting to";
        try
        {
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            if (!response.IsSuccessStatusCode)
            {
                return ScrapeResult.Failed(DescribeStatus(response.StatusCode), status, clock.Elapsed);
            }

            phase = "reading from";
            timeout.CancelAfter(_options.ReadTimeout);
            var format = IsOpenMetrics(response.Content.Headers.ContentType) ? TextFormat.OpenMetrics : TextFormat.Prometheus;
            var declared = response.Content.Headers.ContentLength;
            if (declared > _options.MaxResponseBytes)
            {
                return ScrapeResult.Failed(TooLarge(), status, clock.Elapsed);
            }

            await using var stream = await response.Content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false);
            return await ReadBodyAsync(stream, format, status, clock, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return ScrapeResult.Failed($"timed out {phase} {_options.DisplayName} (connect_timeout {_options.ConnectTimeout.TotalSeconds:0.###} s, read_timeout {_options.ReadTimeout.TotalSeconds:0.###} s)", 0, clock.Elapsed);
        }
        catch (HttpRequestException e)
        {
            return ScrapeResult.Failed(DescribeFailure(e), (int?)e.StatusCode ?? 0, clock.Elapsed);
        }
        catch (IOException e)
        {
            return ScrapeResult.Failed($"connection to {_options.DisplayName} broke while {phase.Replace(" from", "", StringComparison.Ordinal)}: {e.Message}", 0, clock.Elapsed);
        }
    }

    public void Dispose()
    {
        _client.Dispose();
        _handler.Dispose();
    }

    /// <summary>True when Falco's <c>/healthz</c> on the same host and port answers 2xx (Falco 0.41.1+ serves it).</summary>
    public async Task<bool> ProbeHealthAsync(CancellationToken cancellationToken)
    {
        var health = new UriBuilder(_options.Endpoint) { Path = "/healthz", Query = string.Empty }.Uri;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.ConnectTimeout + _options.ReadTimeout);
        try
        {
            using var response = await _client.GetAsync(health, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            return response.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException)
        {
            return false;
        }
    }

    private async Task<ScrapeResult> ReadBodyAsync(Stream stream, TextFormat format, int status, Stopwatch clock, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(InitialBufferBytes);
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (length > _options.MaxResponseBytes)
                    {
                        ArrayPool<byte>.Shared.Return(buffer);
                        return ScrapeResult.Failed(TooLarge(), status, clock.Elapsed);
                    }

                    var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)buffer.Length * 2, Math.Min(_options.MaxResponseBytes + 1, Array.MaxLength)));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                var read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                length += read;
                if (length > _options.MaxResponseBytes)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    return ScrapeResult.Failed(TooLarge(), status, clock.Elapsed);
                }
            }

            return ScrapeResult.Ok(buffer, length, format, status, clock.Elapsed);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    private string? AddHeaders(HttpRequestMessage request)
    {
        var headers = request.Headers;
        if (_options.Headers is { } replaced)
        {
            foreach (var (name, value) in replaced)
            {
                headers.TryAddWithoutValidation(name, value);
            }
        }
        else
        {
            headers.TryAddWithoutValidation("Accept", _options.PreferOpenMetrics ? OpenMetricsAccept : PrometheusAccept);
            headers.TryAddWithoutValidation("User-Agent", "falcocheck");
        }

        foreach (var (name, value) in _options.ExtraHeaders)
        {
            headers.Remove(name);
            headers.TryAddWithoutValidation(name, value);
        }

        if (_options.Username is { } user)
        {
            var credentials = Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + _options.Password));
            headers.Authorization = new AuthenticationHeaderValue("Basic", credentials);
        }

        if (_options.AuthToken is { } token)
        {
            var (value, error) = token.Read();
            if (error is not null)
            {
                return error;
            }

            headers.Remove(token.HeaderName);
            headers.TryAddWithoutValidation(token.HeaderName, value);
        }

        return null;
    }

    private static bool IsOpenMetrics(MediaTypeHeaderValue? contentType) =>
        string.Equals(contentType?.MediaType, "application/openmetrics-text", StringComparison.OrdinalIgnoreCase);

    private string TooLarge() =>
        $"response from {_options.DisplayName} is larger than max_response_size ({_options.MaxResponseBytes} bytes)";

    private string DescribeStatus(HttpStatusCode status)
    {
        var text = $"HTTP {(int)status} {status} from {_options.DisplayName}";
        return status switch
        {
            HttpStatusCode.NotFound => text + " (Falco answers 404 until its start-up is finished; check the path is /metrics and metrics.enabled is true)",
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => text + " (check username/password, auth_token or headers)",
            _ => text,
        };
    }

    private string DescribeFailure(HttpRequestException e)
    {
        var name = _options.DisplayName;
        return e.InnerException switch
        {
            SocketException { SocketErrorCode: SocketError.ConnectionRefused } => $"connection refused by {name} (is Falco running with metrics enabled and the web server on?)",
            SocketException { SocketErrorCode: SocketError.HostNotFound or SocketError.TryAgain or SocketError.NoData } => $"cannot resolve the host of {name}",
            SocketException socket => $"cannot connect to {name}: {socket.SocketErrorCode}",
            AuthenticationException auth => $"TLS handshake with {name} failed: {auth.Message} (see tls_verify, tls_ca_cert, tls_cert)",
            _ when e.HttpRequestError == HttpRequestError.NameResolutionError => $"cannot resolve the host of {name}",
            _ when e.HttpRequestError == HttpRequestError.ConnectionError => $"cannot connect to {name}: {e.Message}",
            _ when e.HttpRequestError == HttpRequestError.SecureConnectionError => $"TLS handshake with {name} failed (see tls_verify, tls_ca_cert, tls_cert)",
            _ when e.HttpRequestError is HttpRequestError.InvalidResponse or HttpRequestError.ResponseEnded && _options.Endpoint.Scheme == Uri.UriSchemeHttp =>
                $"{name} did not answer HTTP; if Falco has webserver.ssl_enabled: true in falco.yaml, use https:// in openmetrics_endpoint",
            _ => $"request to {name} failed: {e.HttpRequestError}",
        };
    }
}
