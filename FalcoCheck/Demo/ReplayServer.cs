using System.Net;
using System.Text;
using FalcoCheck.Runtime;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace FalcoCheck.Demo;

/// <summary>
/// Stands in for Falco's web server: serves recorded Falco payloads on 127.0.0.1 with counters that move,
/// at <c>/metrics</c> (the default payload) and <c>/&lt;payload name&gt;/metrics</c>, plus <c>/healthz</c>.
/// Used by the demo and by the tests; never binds anything but loopback.
/// </summary>
/// <remarks>
/// Kestrel (through <c>WebApplication.CreateSlimBuilder</c>, as the alert receiver) rather than <c>HttpListener</c>,
/// which on Linux can throw out of <c>Start()</c> when a client connects while it starts (dotnet/corefx#35191) and
/// mishandles many idle kept-alive connections. Kestrel keeps connections alive, as Falco's own server does, which
/// the daemon's pooled scrapes rely on.
/// </remarks>
internal sealed class ReplayServer : IAsyncDisposable
{
    /// <summary>The payload served at <c>/metrics</c>: Falco 0.40.0 with two event sources (Datadog's fixture).</summary>
    public const string DefaultPayload = "falco-0.40.0_two-sources";

    /// <summary>Requests still being answered get this long when the server stops.</summary>
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(5);

    private readonly WebApplication _app;
    private readonly Dictionary<string, ReplayPayload> _payloads;
    private int _requests;

    private ReplayServer(WebApplication app, string address, Dictionary<string, ReplayPayload> payloads)
    {
        _app = app;
        Address = address;
        _payloads = payloads;
        _app.Run(AnswerAsync);
    }

    public int Port { get; private set; }

    /// <summary>The loopback address served on: 127.0.0.1, or another 127.x address to stand for a second host.</summary>
    public string Address { get; }

    public string BaseUrl => $"http://{Address}:{Port}";

    /// <summary>Requests answered so far (counted as each arrives).</summary>
    public int Requests => Volatile.Read(ref _requests);

    public ReplayPayload this[string name] => _payloads[name];

    /// <summary>Names of the payloads embedded in the program (the real Falco fixtures).</summary>
    public static IReadOnlyList<string> EmbeddedPayloadNames()
    {
        var names = new List<string>();
        foreach (var resource in typeof(ReplayServer).Assembly.GetManifestResourceNames())
        {
            if (resource.StartsWith("demo/", StringComparison.Ordinal) && resource.EndsWith(".prom.txt", StringComparison.Ordinal))
            {
                names.Add(resource["demo/".Length..^".prom.txt".Length]);
            }
        }

        names.Sort(StringComparer.Ordinal);
        return names;
    }

    public static string ReadEmbedded(string resourceName)
    {
        using var stream = typeof(ReplayServer).Assembly.GetManifestResourceStream(resourceName)
            ?? throw new FileNotFoundException($"embedded resource {resourceName} is missing");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    /// <summary>Serves the embedded Falco payloads on a free loopback port (or <paramref name="port"/>).</summary>
    public static ReplayServer StartEmbedded(int port = 0, string address = "127.0.0.1")
    {
        var payloads = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in EmbeddedPayloadNames())
        {
            payloads[name] = ReadEmbedded("demo/" + name + ".prom.txt");
        }

        return Start(payloads, port, address);
    }

    /// <summary>Serves the given payloads (name → Prometheus text) on a free loopback port (or <paramref name="port"/>).</summary>
    public static ReplayServer Start(IReadOnlyDictionary<string, string> payloads, int port = 0, string address = "127.0.0.1")
    {
        if (!IPAddress.TryParse(address, out var ip) || !IPAddress.IsLoopback(ip))
        {
            throw new ArgumentException($"expected a loopback address, got '{address}'", nameof(address));
        }

        var parsed = new Dictionary<string, ReplayPayload>(StringComparer.Ordinal);
        foreach (var (name, text) in payloads)
        {
            parsed[name] = new ReplayPayload(text);
        }

        WebApplicationBuilder builder = InnerWebHost.CreateBuilder();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            // Port 0: Kestrel binds a free port and reports it. Connections are kept alive, as Falco's web server does.
            kestrel.Listen(ip, port);
        });
        var server = new ReplayServer(builder.Build(), address, parsed);
        try
        {
            // Synchronous for its many callers (tests, the demo); Kestrel's start needs no context to come back to.
            server._app.StartAsync().GetAwaiter().GetResult();
        }
        catch
        {
            server.DisposeAsync().AsTask().GetAwaiter().GetResult();
            throw;
        }

        string bound = InnerWebHost.BoundAddress(server._app);
        server.Port = new Uri(bound).Port;
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        using (var timeout = new CancellationTokenSource(StopTimeout))
        {
            await _app.StopAsync(timeout.Token).ConfigureAwait(false);
        }

        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private async Task AnswerAsync(HttpContext http)
    {
        Interlocked.Increment(ref _requests);
        var path = http.Request.Path.Value ?? "/";
        HttpResponse response = http.Response;
        string? body = null;
        if (path == "/healthz")
        {
            response.ContentType = "application/json";
            body = "{\"status\": \"ok\"}";
        }
        else if (PayloadFor(path) is { } payload)
        {
            // What Falco sends: Prometheus text 0.0.4.
            response.ContentType = "text/plain; version=0.0.4";
            body = payload.Render();
        }

        if (body is null)
        {
            response.StatusCode = StatusCodes.Status404NotFound;
            body = "not found";
        }

        var bytes = Encoding.UTF8.GetBytes(body);
        response.ContentLength = bytes.Length;
        await response.Body.WriteAsync(bytes, http.RequestAborted).ConfigureAwait(false);
    }

    private ReplayPayload? PayloadFor(string path)
    {
        if (path == "/metrics")
        {
            return _payloads.GetValueOrDefault(DefaultPayload) ?? (_payloads.Count > 0 ? _payloads.Values.First() : null);
        }

        if (path.EndsWith("/metrics", StringComparison.Ordinal))
        {
            return _payloads.GetValueOrDefault(path[1..^"/metrics".Length]);
        }

        return null;
    }
}
