using System.Net;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using FalcoCheck.Tests.Support;
using k8s;
using k8s.Models;

namespace FalcoCheck.Tests.Discovery;

/// <summary>
/// Stands in for kube-apiserver (none is installable here) on 127.0.0.1: <c>GET /api/v1/pods</c> and
/// <c>/api/v1/namespaces/NS/pods</c> answer a PodList, or with <c>watch=true</c> a stream of watch events
/// (one JSON object per line, chunked) from the requested resourceVersion, as the real server does. Faults are
/// scripted: 410 Gone for an expired version, dropped connections, an outage (503), a slow answer.
/// The real client reaches it through <see cref="WriteKubeconfig"/>.
/// </summary>
internal sealed class StandInKubernetesApi : IAsyncDisposable
{
    private readonly TestHttpServer _server;
    private readonly Dictionary<string, V1Pod> _pods = new(StringComparer.Ordinal);
    private readonly List<(long Version, string Line)> _log = [];
    private readonly List<Channel<string?>> _watchers = [];
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

    public int Lists { get; private set; }

    public int Watches { get; private set; }

    /// <summary>Request lines (path and query) in order, and the Authorization header of the last one.</summary>
    public List<string> Requests { get; } = [];

    public string? LastAuthorization { get; private set; }

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

    public void Add(V1Pod pod) => Publish("ADDED", pod);

    public void Modify(V1Pod pod) => Publish("MODIFIED", pod);

    public void Delete(V1Pod pod) => Publish("DELETED", pod);

    /// <summary>Changes a pod without telling the watchers (as if the events were lost), for resync and 410 tests.</summary>
    public void SetQuietly(V1Pod pod)
    {
        lock (_pods)
        {
            pod.Metadata.ResourceVersion = (++_version).ToString(System.Globalization.CultureInfo.InvariantCulture);
            _pods[pod.Metadata.Uid] = pod;
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
        lock (_pods)
        {
            foreach (var watcher in _watchers)
            {
                watcher.Writer.TryComplete();
            }
        }

        return _server.DisposeAsync();
    }

    private void Publish(string type, V1Pod pod)
    {
        lock (_pods)
        {
            pod.Metadata.ResourceVersion = (++_version).ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (type == "DELETED")
            {
                _pods.Remove(pod.Metadata.Uid);
            }
            else
            {
                _pods[pod.Metadata.Uid] = pod;
            }

            string line = Event(type, pod);
            _log.Add((_version, line));
            foreach (var watcher in _watchers)
            {
                watcher.Writer.TryWrite(line);
            }
        }
    }

    private static string Event(string type, V1Pod pod) =>
        "{\"type\":\"" + type + "\",\"object\":" + JsonSerializer.Serialize(pod, SourceGenerationContext.Default.V1Pod) + "}";

    private async Task HandleAsync(HttpListenerContext context)
    {
        var url = context.Request.Url!;
        lock (Requests)
        {
            Requests.Add(url.PathAndQuery);
        }

        LastAuthorization = context.Request.Headers["Authorization"];
        var query = System.Web.HttpUtility.ParseQueryString(url.Query);
        if (Down)
        {
            await TestHttpServer.WriteAsync(context, Encoding.UTF8.GetBytes("""{"kind":"Status","apiVersion":"v1","status":"Failure","message":"the stand-in API is down","code":503}"""), "application/json", 503);
            return;
        }

        string? ns = url.AbsolutePath.StartsWith("/api/v1/namespaces/", StringComparison.Ordinal) ? url.AbsolutePath.Split('/')[4] : null;
        if (!url.AbsolutePath.EndsWith("/pods", StringComparison.Ordinal))
        {
            await TestHttpServer.WriteAsync(context, Encoding.UTF8.GetBytes("{\"kind\":\"Status\",\"code\":404}"), "application/json", 404);
            return;
        }

        string? node = query["fieldSelector"] is { } selector && selector.StartsWith("spec.nodeName=", StringComparison.Ordinal) ? selector["spec.nodeName=".Length..] : null;
        bool Matches(V1Pod pod) => (node is null || pod.Spec?.NodeName == node) && (ns is null || pod.Metadata.NamespaceProperty == ns);
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
            var list = new V1PodList
            {
                ApiVersion = "v1",
                Kind = "PodList",
                Metadata = new V1ListMeta { ResourceVersion = _version.ToString(System.Globalization.CultureInfo.InvariantCulture) },
                Items = [.. _pods.Values.Where(Matches)],
            };
            body = JsonSerializer.Serialize(list, SourceGenerationContext.Default.V1PodList);
        }

        await TestHttpServer.WriteAsync(context, Encoding.UTF8.GetBytes(body), "application/json");
    }

    private async Task WatchAsync(HttpListenerContext context, long from, Func<V1Pod, bool> matches)
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
                    ? """{"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"too old resource version","reason":"Expired","code":410}}"""
                    : line;
                if (line != "410" && !matches(JsonSerializer.Deserialize(JsonDocument.Parse(line).RootElement.GetProperty("object"), SourceGenerationContext.Default.V1Pod)!))
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
