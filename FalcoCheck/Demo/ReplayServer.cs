using System.Net;
using System.Net.Sockets;
using System.Text;

namespace FalcoCheck.Demo;

/// <summary>
/// Stands in for Falco's web server: serves recorded Falco payloads on 127.0.0.1 with counters that move,
/// at <c>/metrics</c> (the default payload) and <c>/&lt;payload name&gt;/metrics</c>, plus <c>/healthz</c>.
/// Used by the demo and by the tests; never binds anything but loopback.
/// </summary>
internal sealed class ReplayServer : IAsyncDisposable
{
    /// <summary>The payload served at <c>/metrics</c>: Falco 0.40.0 with two event sources (Datadog's fixture).</summary>
    public const string DefaultPayload = "falco-0.40.0_two-sources";

    private readonly HttpListener _listener;
    private readonly Dictionary<string, ReplayPayload> _payloads;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    private ReplayServer(HttpListener listener, string address, int port, Dictionary<string, ReplayPayload> payloads)
    {
        _listener = listener;
        Address = address;
        Port = port;
        _payloads = payloads;
        _loop = Task.Run(ServeAsync);
    }

    public int Port { get; }

    /// <summary>The loopback address served on: 127.0.0.1, or another 127.x address to stand for a second host.</summary>
    public string Address { get; }

    public string BaseUrl => $"http://{Address}:{Port}";

    /// <summary>Requests answered so far.</summary>
    public int Requests { get; private set; }

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

        for (var attempt = 0; ; attempt++)
        {
            var candidate = port != 0 ? port : FreePort();
            var listener = new HttpListener();
            listener.Prefixes.Add($"http://{address}:{candidate}/");
            try
            {
                listener.Start();
                return new ReplayServer(listener, address, candidate, parsed);
            }
            catch (HttpListenerException) when (port == 0 && attempt < 5)
            {
                // Another process took the port between probing and binding: try another.
                listener.Close();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Close();
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (ObjectDisposedException)
        {
        }

        _stop.Dispose();
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            Requests++;
            await AnswerAsync(context).ConfigureAwait(false);
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        var response = context.Response;
        try
        {
            var path = context.Request.Url?.AbsolutePath ?? "/";
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
                response.StatusCode = 404;
                body = "not found";
            }

            var bytes = Encoding.UTF8.GetBytes(body);
            response.ContentLength64 = bytes.Length;
            await response.OutputStream.WriteAsync(bytes).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException)
        {
            // The client went away; nothing to answer.
        }
        finally
        {
            try
            {
                response.Close();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
            }
        }
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
