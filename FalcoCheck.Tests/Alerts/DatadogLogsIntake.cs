using System.IO.Compression;
using System.Net;
using System.Text.Json;

namespace FalcoCheck.Tests.Alerts;

/// <summary>
/// A loopback stand-in for Datadog's logs intake v2 that checks what the real one requires
/// (https://docs.datadoghq.com/api/latest/logs/#send-logs): <c>POST /api/v2/logs</c>, <c>DD-API-KEY</c>,
/// <c>Content-Type: application/json</c>, a gzip body that decodes to a JSON array of 1 to 1000 log objects of
/// at most 5 MB uncompressed, each with the reserved attributes as strings. It answers 202 like the intake, 400
/// with the reason otherwise, or <see cref="FailWith"/> when a test scripts an outage.
/// </summary>
internal sealed class DatadogLogsIntake : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _loop;
    private readonly Lock _gate = new();
    private readonly List<JsonElement> _logs = [];
    private readonly List<string> _violations = [];
    private readonly List<int> _batchSizes = [];
    private readonly List<string?> _userAgents = [];

    public DatadogLogsIntake(string apiKey, int port = 0)
    {
        ApiKey = apiKey;
        Port = port == 0 ? Support.TestHttpServer.FreePort() : port;
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public string ApiKey { get; }

    public int Port { get; }

    public Uri Url => new($"http://127.0.0.1:{Port}");

    /// <summary>When set, every request is answered with this status (and counted), as an intake in trouble.</summary>
    public HttpStatusCode? FailWith { get; set; }

    public int FailedRequests { get; private set; }

    /// <summary>When set, a request of more logs is answered 413, as an intake (or proxy) with a smaller body limit.</summary>
    public int? MaxLogsPerRequest { get; set; }

    /// <summary>Requests answered 413 because of <see cref="MaxLogsPerRequest"/>.</summary>
    public int TooLargeRequests { get; private set; }

    /// <summary>The <c>User-Agent</c> of every request.</summary>
    public List<string?> UserAgents
    {
        get
        {
            lock (_gate)
            {
                return [.. _userAgents];
            }
        }
    }

    public List<JsonElement> Logs
    {
        get
        {
            lock (_gate)
            {
                return [.. _logs];
            }
        }
    }

    public List<string> Violations
    {
        get
        {
            lock (_gate)
            {
                return [.. _violations];
            }
        }
    }

    public List<int> BatchSizes
    {
        get
        {
            lock (_gate)
            {
                return [.. _batchSizes];
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Close();
        try
        {
            await _loop;
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private async Task LoopAsync()
    {
        while (true)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            try
            {
                await HandleAsync(context);
            }
            catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException)
            {
            }
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        if (FailWith is { } status)
        {
            FailedRequests++;
            context.Response.StatusCode = (int)status;
            context.Response.Close();
            return;
        }

        lock (_gate)
        {
            _userAgents.Add(context.Request.UserAgent);
        }

        string? problem = await CheckAsync(context.Request);
        context.Response.StatusCode = problem is null ? 202 : problem == TooLarge ? 413 : 400;
        if (problem == TooLarge)
        {
            TooLargeRequests++;
        }
        else if (problem is not null)
        {
            lock (_gate)
            {
                _violations.Add(problem);
            }
        }

        byte[] body = "{}"u8.ToArray();
        context.Response.ContentLength64 = body.Length;
        await context.Response.OutputStream.WriteAsync(body);
        context.Response.Close();
    }

    private const string TooLarge = "413";

    private async Task<string?> CheckAsync(HttpListenerRequest request)
    {
        if (request.HttpMethod != "POST" || request.Url!.AbsolutePath != "/api/v2/logs")
        {
            return $"{request.HttpMethod} {request.Url!.AbsolutePath}: expected POST /api/v2/logs";
        }

        if (request.Headers["DD-API-KEY"] != ApiKey)
        {
            return "DD-API-KEY is missing or wrong";
        }

        if (request.ContentType != "application/json" || request.Headers["Content-Encoding"] != "gzip")
        {
            return $"expected application/json with gzip, got {request.ContentType} with {request.Headers["Content-Encoding"]}";
        }

        using var raw = new MemoryStream();
        try
        {
            await using var gzip = new GZipStream(request.InputStream, CompressionMode.Decompress);
            await gzip.CopyToAsync(raw);
        }
        catch (InvalidDataException)
        {
            return "the body is not gzip";
        }

        if (raw.Length > 5_000_000)
        {
            return $"payload of {raw.Length} bytes is over 5 MB uncompressed";
        }

        using JsonDocument document = JsonDocument.Parse(raw.ToArray());
        if (document.RootElement.ValueKind != JsonValueKind.Array || document.RootElement.GetArrayLength() is 0 or > 1000)
        {
            return "expected a JSON array of 1 to 1000 logs";
        }

        if (document.RootElement.GetArrayLength() > MaxLogsPerRequest)
        {
            return TooLarge;
        }

        foreach (JsonElement log in document.RootElement.EnumerateArray())
        {
            foreach (string reserved in (string[])["ddsource", "ddtags", "hostname", "message", "service", "status"])
            {
                if (!log.TryGetProperty(reserved, out JsonElement value) || value.ValueKind != JsonValueKind.String)
                {
                    return $"a log has no string '{reserved}'";
                }
            }
        }

        lock (_gate)
        {
            _batchSizes.Add(document.RootElement.GetArrayLength());
            _logs.AddRange(document.RootElement.EnumerateArray().Select(l => l.Clone()));
        }

        return null;
    }
}
