using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using FalcoCheck.Tests.Support;

namespace FalcoCheck.Tests.Discovery;

/// <summary>
/// Stands in for kube-apiserver (none is installable here) on 127.0.0.1: <c>GET /api/v1/pods</c> and
/// <c>/api/v1/namespaces/NS/pods</c> answer a PodList, or with <c>watch=true</c> a stream of watch events
/// (one JSON object per line, chunked) from the requested resourceVersion, as the real server does. Faults are
/// scripted: 410 Gone for an expired version, dropped connections, an outage (503), a slow answer, a token it no
/// longer accepts (401). Pods are JSON objects as the API serves them (<see cref="FalcoPods"/>), and every answer is
/// written here as kube-apiserver writes it (PodList, WatchEvent lines, Status), never through the product's models.
/// The client reaches it through <see cref="WriteKubeconfig"/>, or over TLS through <see cref="ServeTls"/>.
/// </summary>
internal sealed class StandInKubernetesApi : IAsyncDisposable
{
    private readonly TestHttpServer _server;
    private readonly Dictionary<string, JsonObject> _pods = new(StringComparer.Ordinal);
    private readonly List<(long Version, string Line)> _log = [];
    private readonly List<Channel<string?>> _watchers = [];
    private readonly List<TcpListener> _tlsListeners = [];
    private long _version = 100;
    private long _compactedBefore;

    public StandInKubernetesApi()
    {
        _server = new TestHttpServer(HandleAsync);
    }

    public int Port => _server.Port;

    /// <summary>While true every request gets 503, as an API server that is restarting.</summary>
    public bool Down { get; set; }

    /// <summary>How long a list takes to answer.</summary>
    public TimeSpan ListDelay { get; set; }

    /// <summary>When set, a request without exactly this Authorization header gets 401 Unauthorized.</summary>
    public string? RequiredAuthorization { get; set; }

    public int Lists { get; private set; }

    /// <summary>The latest resourceVersion.</summary>
    public long Version
    {
        get
        {
            lock (_pods)
            {
                return _version;
            }
        }
    }

    public int Watches { get; private set; }

    /// <summary>A name the TLS front is reached by (through a proxy, which resolves it to loopback); null for none.</summary>
    public string? HostAlias { get; set; }

    /// <summary>Request lines (path and query) in order, and the Authorization header of the last one.</summary>
    public List<string> Requests { get; } = [];

    public string? LastAuthorization { get; private set; }

    /// <summary>Every Authorization header received, in order.</summary>
    public List<string?> Authorizations { get; } = [];

    /// <summary>Subject of the client certificate of the last TLS connection, if one was presented.</summary>
    public string? ClientCertificateSubject { get; private set; }

    /// <summary>
    /// A daemon configuration that discovers this API's pods on node-1: conf.d's one instance at
    /// <paramref name="confdEndpoint"/>, a file sink, no status endpoint (no fixed port another run may hold), and
    /// <paramref name="extra"/> root settings of falcocheck.yaml (one per line).
    /// </summary>
    public TestConfig DaemonConfig(string confdEndpoint, string extra = "")
    {
        var config = new TestConfig($"  - openmetrics_endpoint: {confdEndpoint}\n", agentExtra: "");
        File.AppendAllText(config.AgentPath, $"sinks:\n  - type: file\n    path: ./metrics.jsonl\nstatus:\n  enabled: false\n{extra}"
            + $"kubernetes:\n  enabled: true\n  kubeconfig: {WriteKubeconfig(config.Folder)}\n  node_name: node-1\n");
        return config;
    }

    public string WriteKubeconfig(string folder)
    {
        string path = Path.Combine(folder, "kubeconfig");
        File.WriteAllText(path, $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: stand-in
              cluster:
                server: http://127.0.0.1:{Port}
            contexts:
            - name: stand-in
              context:
                cluster: stand-in
                user: falcocheck
            current-context: stand-in
            users:
            - name: falcocheck
              user:
                token: stand-in-token
            """);
        return path;
    }

    /// <summary>
    /// Serves the same API over TLS on another port with <paramref name="certificate"/>, asking for a client
    /// certificate (recorded, not required): a TLS front that hands the decrypted bytes to the HTTP server.
    /// </summary>
    public int ServeTls(X509Certificate2 certificate, X509Certificate2Collection? intermediates = null)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        _tlsListeners.Add(listener);
        _ = Task.Run(async () =>
        {
            while (true)
            {
                TcpClient client;
                try
                {
                    client = await listener.AcceptTcpClientAsync(_server.Stopping);
                }
                catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
                {
                    return;
                }

                _ = Task.Run(() => RelayAsync(client, certificate, intermediates));
            }
        });
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Add(JsonObject pod) => Publish("ADDED", pod);

    public void Modify(JsonObject pod) => Publish("MODIFIED", pod);

    public void Delete(JsonObject pod) => Publish("DELETED", pod);

    /// <summary>Changes a pod without telling the watchers (as if the events were lost), for resync and 410 tests.</summary>
    public void SetQuietly(JsonObject pod)
    {
        lock (_pods)
        {
            pod["metadata"]!["resourceVersion"] = (++_version).ToString(System.Globalization.CultureInfo.InvariantCulture);
            _pods[FalcoPods.Uid(pod)] = pod;
        }
    }

    /// <summary>A BOOKMARK to every open watch: the object carries only metadata.resourceVersion, as kube-apiserver sends it.</summary>
    public void Bookmark()
    {
        lock (_pods)
        {
            string line = new JsonObject
            {
                ["type"] = "BOOKMARK",
                ["object"] = new JsonObject
                {
                    ["kind"] = "Pod",
                    ["apiVersion"] = "v1",
                    ["metadata"] = new JsonObject { ["resourceVersion"] = _version.ToString(System.Globalization.CultureInfo.InvariantCulture) },
                },
            }.ToJsonString();
            foreach (var watcher in _watchers)
            {
                watcher.Writer.TryWrite(line);
            }
        }
    }

    /// <summary>Forgets the event history, as etcd compaction does: watches from an older version get 410 Gone.</summary>
    public void Compact(bool dropWatches)
    {
        lock (_pods)
        {
            _compactedBefore = _version;
            _log.Clear();
            if (dropWatches)
            {
                foreach (var watcher in _watchers)
                {
                    watcher.Writer.TryWrite("410");
                }
            }
        }
    }

    /// <summary>Cuts every open watch mid-stream (the connection is reset, not ended).</summary>
    public void DropWatches()
    {
        lock (_pods)
        {
            foreach (var watcher in _watchers)
            {
                watcher.Writer.TryWrite(null);
            }
        }
    }

    public int OpenWatches
    {
        get
        {
            lock (_pods)
            {
                return _watchers.Count;
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        foreach (var listener in _tlsListeners)
        {
            listener.Stop();
        }

        lock (_pods)
        {
            foreach (var watcher in _watchers)
            {
                watcher.Writer.TryComplete();
            }
        }

        return _server.DisposeAsync();
    }

    private async Task RelayAsync(TcpClient client, X509Certificate2 certificate, X509Certificate2Collection? intermediates)
    {
        using (client)
        using (var backend = new TcpClient())
        {
            try
            {
                await using var tls = new SslStream(client.GetStream(), false, static (_, _, _, _) => true);
                await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
                {
                    ServerCertificateContext = SslStreamCertificateContext.Create(certificate, intermediates, offline: true),
                    ClientCertificateRequired = true,
                });
                ClientCertificateSubject = tls.RemoteCertificate?.Subject;
                await backend.ConnectAsync(IPAddress.Loopback, Port);
                var plain = backend.GetStream();
                await Task.WhenAny(HostAlias is { } alias ? CopyRewritingHostAsync(tls, plain, alias) : tls.CopyToAsync(plain), plain.CopyToAsync(tls));
            }
            catch (Exception e) when (e is IOException or SocketException or AuthenticationException or ObjectDisposedException)
            {
                // A client that refused our certificate, or a connection cut on purpose (DropWatches).
            }
        }
    }

    /// <summary>
    /// Request bytes to the listener with <c>Host: alias</c> made <c>Host: 127.0.0.1</c> (HttpListener answers 404 to
    /// a host it does not serve). A stand-in's shortcut: HttpClient writes a request's head in one write.
    /// </summary>
    private static async Task CopyRewritingHostAsync(Stream from, Stream to, string alias)
    {
        byte[] name = System.Text.Encoding.ASCII.GetBytes("Host: " + alias);
        byte[] loopback = "Host: 127.0.0.1"u8.ToArray();
        var buffer = new byte[64 * 1024];
        int read;
        while ((read = await from.ReadAsync(buffer)) > 0)
        {
            int at = buffer.AsSpan(0, read).IndexOf(name);
            if (at < 0)
            {
                await to.WriteAsync(buffer.AsMemory(0, read));
                continue;
            }

            await to.WriteAsync(buffer.AsMemory(0, at));
            await to.WriteAsync(loopback);
            await to.WriteAsync(buffer.AsMemory(at + name.Length, read - at - name.Length));
        }
    }

    private void Publish(string type, JsonObject pod)
    {
        lock (_pods)
        {
            pod["metadata"]!["resourceVersion"] = (++_version).ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (type == "DELETED")
            {
                _pods.Remove(FalcoPods.Uid(pod));
            }
            else
            {
                _pods[FalcoPods.Uid(pod)] = pod;
            }

            string line = Event(type, pod);
            _log.Add((_version, line));
            foreach (var watcher in _watchers)
            {
                watcher.Writer.TryWrite(line);
            }
        }
    }

    /// <summary>One WatchEvent line; the object is copied as it is now (a later change is a later event).</summary>
    private static string Event(string type, JsonObject pod) =>
        new JsonObject { ["type"] = type, ["object"] = pod.DeepClone() }.ToJsonString();

    private static Task StatusAsync(HttpListenerContext context, int code, string reason, string message) =>
        TestHttpServer.WriteAsync(context, Encoding.UTF8.GetBytes(new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = message,
            ["reason"] = reason,
            ["code"] = code,
        }.ToJsonString()), "application/json", code);

    private async Task HandleAsync(HttpListenerContext context)
    {
        var url = context.Request.Url!;
        lock (Requests)
        {
            Requests.Add(url.PathAndQuery);
            LastAuthorization = context.Request.Headers["Authorization"];
            Authorizations.Add(LastAuthorization);
        }

        var query = System.Web.HttpUtility.ParseQueryString(url.Query);
        if (Down)
        {
            await StatusAsync(context, 503, "ServiceUnavailable", "the stand-in API is down");
            return;
        }

        if (RequiredAuthorization is { } required && context.Request.Headers["Authorization"] != required)
        {
            await StatusAsync(context, 401, "Unauthorized", "Unauthorized");
            return;
        }

        string? ns = url.AbsolutePath.StartsWith("/api/v1/namespaces/", StringComparison.Ordinal) ? url.AbsolutePath.Split('/')[4] : null;
        if (!url.AbsolutePath.EndsWith("/pods", StringComparison.Ordinal))
        {
            await StatusAsync(context, 404, "NotFound", "the server could not find the requested resource");
            return;
        }

        string? node = query["fieldSelector"] is { } selector && selector.StartsWith("spec.nodeName=", StringComparison.Ordinal) ? selector["spec.nodeName=".Length..] : null;
        bool Matches(JsonNode pod) => (node is null || (string?)pod["spec"]?["nodeName"] == node) && (ns is null || (string?)pod["metadata"]?["namespace"] == ns);
        if (query["watch"] is "true" or "1")
        {
            await WatchAsync(context, long.Parse(query["resourceVersion"] ?? "0", System.Globalization.CultureInfo.InvariantCulture), Matches);
            return;
        }

        Lists++;
        if (ListDelay > TimeSpan.Zero)
        {
            await Task.Delay(ListDelay);
        }

        string body;
        lock (_pods)
        {
            body = new JsonObject
            {
                ["kind"] = "PodList",
                ["apiVersion"] = "v1",
                ["metadata"] = new JsonObject { ["resourceVersion"] = _version.ToString(System.Globalization.CultureInfo.InvariantCulture) },
                ["items"] = new JsonArray([.. _pods.Values.Where(Matches).Select(p => p.DeepClone())]),
            }.ToJsonString();
        }

        await TestHttpServer.WriteAsync(context, Encoding.UTF8.GetBytes(body), "application/json");
    }

    private async Task WatchAsync(HttpListenerContext context, long from, Func<JsonNode, bool> matches)
    {
        // Counted after the request is logged, so a test that waits for the count can read the request.
        Watches++;
        var channel = Channel.CreateUnbounded<string?>();
        lock (_pods)
        {
            if (from < _compactedBefore)
            {
                // What kube-apiserver sends for an expired version: 200, then one ERROR event with a 410 Status.
                channel.Writer.TryWrite("410");
            }
            else
            {
                foreach (var (version, line) in _log)
                {
                    if (version > from)
                    {
                        channel.Writer.TryWrite(line);
                    }
                }
            }

            _watchers.Add(channel);
        }

        var response = context.Response;
        response.StatusCode = 200;
        response.ContentType = "application/json";
        response.SendChunked = true;
        try
        {
            await response.OutputStream.FlushAsync();
            await foreach (var line in channel.Reader.ReadAllAsync(_server.Stopping))
            {
                if (line is null)
                {
                    response.Abort();
                    return;
                }

                string text = line == "410"
                    ? """{"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"too old resource version: 100 (200)","reason":"Expired","code":410}}"""
                    : line;
                var parsed = line == "410" ? null : JsonNode.Parse(line)!;
                if (parsed is not null && (string?)parsed["type"] != "BOOKMARK" && !matches(parsed["object"]!))
                {
                    continue;
                }

                var bytes = Encoding.UTF8.GetBytes(text + "\n");
                await response.OutputStream.WriteAsync(bytes);
                await response.OutputStream.FlushAsync();
                if (line == "410")
                {
                    break;
                }
            }

            response.Close();
        }
        finally
        {
            lock (_pods)
            {
                _watchers.Remove(channel);
            }
        }
    }
}
