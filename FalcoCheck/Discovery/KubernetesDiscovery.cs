using System.Net;
using System.Text.Json;
using System.Threading.Channels;
using FalcoCheck.Configuration;
using FalcoCheck.Discovery.Api;
using Microsoft.Extensions.Logging;

namespace FalcoCheck.Discovery;

/// <summary>
/// Follows the Falco pods through the Kubernetes API as client-go's reflector does: list, then watch from the
/// list's resourceVersion; list again after 410 Gone, after an error (with back-off) and every resync period.
/// Each change of the instance set is handed to <c>apply</c>, coalesced, so a burst of events is one apply. The API
/// being down changes nothing that runs: the last known set stays until the API answers again.
/// </summary>
internal sealed class KubernetesDiscovery : IAsyncDisposable
{
    /// <summary>Discovered instances are numbered from here, after any conf.d instance.</summary>
    public const int FirstIndex = 1000;

    private PodInstances _reader;
    private readonly Func<IReadOnlyList<InstanceConfig>, Task> _apply;
    private readonly ILogger _logger;
    private readonly TimeProvider _clock;
    private readonly KubernetesApi _api;
    private readonly Dictionary<string, DiscoveredPod> _pods = new(StringComparer.Ordinal);

    // The pods behind _pods, so a new template (a reload) is applied to them without a new list.
    private readonly Dictionary<string, V1Pod> _podObjects = new(StringComparer.Ordinal);
    private readonly Channel<bool> _changed = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly CancellationTokenSource _stop = new();
    private Task _watching = Task.CompletedTask;
    private Task _publishing = Task.CompletedTask;
    private int _nextIndex = FirstIndex;
    private volatile DiscoveryReport _report;
    private long _lists;
    private long _events;
    private bool _resumedAfterDrop;

    /// <summary>
    /// Reads the kubeconfig, or in-cluster the service account in <paramref name="serviceAccountDirectory"/> with the
    /// reader's environment; throws <see cref="KubernetesConnectionException"/> when neither can be used.
    /// </summary>
    public KubernetesDiscovery(PodInstances reader, Func<IReadOnlyList<InstanceConfig>, Task> apply, ILogger logger, TimeProvider clock,
        string serviceAccountDirectory = KubernetesConnection.ServiceAccountDirectory)
    {
        _reader = reader;
        _apply = apply;
        _logger = logger;
        _clock = clock;
        var config = reader.Config;
        var connection = config.Kubeconfig is { } path
            ? KubeconfigReader.Read(path, clock, reader.GetEnv)
            : KubernetesConnection.InCluster(reader.GetEnv, serviceAccountDirectory, clock);
        _api = new KubernetesApi(connection);
        Scope = (config.NodeName is { } node ? "on node " + node : "in the whole cluster")
            + (config.Namespaces.Count > 0 ? " in namespace(s) " + string.Join(", ", config.Namespaces) : string.Empty);
        Api = connection.Server.GetLeftPart(UriPartial.Authority);
        Proxy = connection.ProxyShown;
        _report = new DiscoveryReport { Up = false, Message = "starting", Api = Api, Proxy = Proxy, Scope = Scope, Pods = [], Errors = [] };
    }

    /// <summary>Longest wait between attempts while the API fails (doubling from one second).</summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(30);

    public string Api { get; }

    /// <summary>The proxy the API is reached through, without its user-info; null for a direct connection.</summary>
    public string? Proxy { get; }

    public string Scope { get; }

    /// <summary>How pods become instances: kubernetes settings and the auto_conf.yaml template.</summary>
    public PodInstances Reader
    {
        get
        {
            lock (_pods)
            {
                return _reader;
            }
        }
    }

    /// <summary>The instances of the pods known now, in their order.</summary>
    public IReadOnlyList<InstanceConfig> Instances
    {
        get
        {
            lock (_pods)
            {
                return [.. _pods.Values.SelectMany(p => p.Instances).OrderBy(i => i.Index)];
            }
        }
    }

    /// <summary>
    /// Reads every known pod again with <paramref name="reader"/> (a reload: auto_conf.yaml edited) and returns the
    /// instances they make now; the watch goes on as it was.
    /// </summary>
    public IReadOnlyList<InstanceConfig> Reread(PodInstances reader)
    {
        lock (_pods)
        {
            _reader = reader;
            foreach (var pod in _podObjects.Values.ToList())
            {
                Upsert(pod, reread: true);
            }
        }

        _changed.Writer.TryWrite(true);
        return Instances;
    }

    public DiscoveryReport Report => _report with { Lists = Interlocked.Read(ref _lists), WatchEvents = Interlocked.Read(ref _events) };

    /// <summary>One list, no watch (<c>validate --kubernetes</c>): the pods of the scope, their instances or errors.</summary>
    public async Task<(int Listed, IReadOnlyList<DiscoveredPod> Pods)> ListOnceAsync(CancellationToken cancellationToken)
    {
        await ListAsync(cancellationToken).ConfigureAwait(false);
        lock (_pods)
        {
            return (_report.PodsListed, [.. _pods.Values.OrderBy(p => p.Name, StringComparer.Ordinal)]);
        }
    }

    public void Start()
    {
        DiscoveryLog.Watching(_logger, Scope, Api, KubernetesConnection.Through(Proxy));
        _watching = Task.Run(() => RunAsync(_stop.Token));
        _publishing = Task.Run(() => PublishAsync(_stop.Token));
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _watching.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await _publishing.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _api.Dispose();
        _stop.Dispose();
    }

    private async Task RunAsync(CancellationToken stop)
    {
        var backoff = TimeSpan.FromSeconds(1);
        while (!stop.IsCancellationRequested)
        {
            try
            {
                string version = await ListAsync(stop).ConfigureAwait(false);
                backoff = TimeSpan.FromSeconds(1);
                var resyncAt = _clock.GetUtcNow() + _reader.Config.ResyncPeriod;
                while (version.Length > 0 && _clock.GetUtcNow() < resyncAt)
                {
                    version = await WatchAsync(version, resyncAt - _clock.GetUtcNow(), stop).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is HttpRequestException or KubernetesApiException or JsonException or IOException
                or UnauthorizedAccessException or OperationCanceledException or InvalidOperationException or FormatException
                or ArgumentException)
            {
                string reason = Describe(e);
                SetDown(reason);
                DiscoveryLog.ApiDown(_logger, reason, backoff.TotalSeconds);
                try
                {
                    await Task.Delay(backoff, _clock, stop).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
            }
        }
    }

    /// <summary>Lists the pods, replaces the known set with what the list says, and returns its resourceVersion.</summary>
    private async Task<string> ListAsync(CancellationToken stop)
    {
        var config = _reader.Config;
        var list = await _api.ListPodsAsync(OneNamespace(config), FieldSelector(config), stop).ConfigureAwait(false);
        Interlocked.Increment(ref _lists);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        bool changed = false;
        lock (_pods)
        {
            foreach (var pod in list.Items ?? [])
            {
                if (pod.Metadata?.Uid is { } uid && InScope(pod))
                {
                    seen.Add(uid);
                    changed |= Upsert(pod);
                }
            }

            foreach (var gone in _pods.Keys.Where(uid => !seen.Contains(uid)).ToList())
            {
                changed |= Remove(gone);
            }
        }

        DiscoveryLog.Listed(_logger, list.Items?.Count ?? 0, _pods.Count);
        SetUp(list.Items?.Count ?? 0);
        if (changed || _report.Instances == 0)
        {
            _changed.Writer.TryWrite(true);
        }

        return list.Metadata?.ResourceVersion ?? string.Empty;
    }

    /// <summary>
    /// One watch request: applies events until the server ends it (its timeout) and returns the resourceVersion to
    /// go on from, or "" when the version expired (410 Gone) and a new list is needed.
    /// </summary>
    private async Task<string> WatchAsync(string version, TimeSpan left, CancellationToken stop)
    {
        int seconds = (int)Math.Clamp(left.TotalSeconds, 1, int.MaxValue);

        // A server that stops sending (a half-open connection, a stalled proxy) must not hold the watch forever.
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(stop);
        idle.CancelAfter(TimeSpan.FromSeconds(seconds) + WatchGrace);
        using var response = await OpenWatchAsync(version, seconds, idle.Token).ConfigureAwait(false);
        if (response is null)
        {
            DiscoveryLog.Gone(_logger);
            return string.Empty;
        }

        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(idle.Token).ConfigureAwait(false));
        SetUp(_report.PodsListed);
        try
        {
            while (await reader.ReadLineAsync(idle.Token).ConfigureAwait(false) is { } line)
            {
                if (line.Length == 0)
                {
                    continue;
                }

                _resumedAfterDrop = false;
                if (Apply(line) is not { } next)
                {
                    DiscoveryLog.Gone(_logger);
                    return string.Empty;
                }

                version = next.Length > 0 ? next : version;
            }
        }
        catch (IOException) when (!stop.IsCancellationRequested && !_resumedAfterDrop)
        {
            // A dropped connection (an API server restarting, a load balancer's idle cut): the version is still good,
            // so watch again from it at once rather than list every pod. Twice in a row without an event in between
            // is an error: back-off and a new list.
            _resumedAfterDrop = true;
            DiscoveryLog.Resumed(_logger, version);
        }

        return version;
    }

    /// <summary>The watch's response, or null when its version expired before it began (410 Gone as a status).</summary>
    private async Task<HttpResponseMessage?> OpenWatchAsync(string version, int seconds, CancellationToken cancellationToken)
    {
        try
        {
            var config = _reader.Config;
            return await _api.WatchPodsAsync(OneNamespace(config), FieldSelector(config), version, seconds, cancellationToken).ConfigureAwait(false);
        }
        catch (KubernetesApiException e) when (e.StatusCode == HttpStatusCode.Gone)
        {
            return null;
        }
    }

    /// <summary>How long past its own timeoutSeconds a watch may stay silent before it is given up.</summary>
    public static readonly TimeSpan WatchGrace = TimeSpan.FromSeconds(30);

    /// <summary>One watch event; returns the resourceVersion it carries, or null for 410 Gone.</summary>
    private string? Apply(string line)
    {
        var change = JsonSerializer.Deserialize(line, KubernetesJsonContext.Default.WatchEvent) ?? throw new JsonException("a null watch event");
        Interlocked.Increment(ref _events);
        switch (change.Type)
        {
            case "ADDED" or "MODIFIED" or "DELETED":
                var pod = change.Object.Deserialize(KubernetesJsonContext.Default.V1Pod);
                if (pod?.Metadata?.Uid is not { } uid)
                {
                    throw new JsonException("a watch event without a pod uid");
                }

                bool changed;
                lock (_pods)
                {
                    changed = change.Type != "DELETED" && InScope(pod) ? Upsert(pod) : Remove(uid);
                }

                if (changed)
                {
                    _changed.Writer.TryWrite(true);
                }

                return pod.Metadata.ResourceVersion ?? string.Empty;
            case "BOOKMARK":
                // The object is the watched kind with only metadata.resourceVersion set.
                return change.Object.Deserialize(KubernetesJsonContext.Default.V1Pod)?.Metadata?.ResourceVersion
                    ?? throw new JsonException("a BOOKMARK event without metadata.resourceVersion");
            case "ERROR":
                var status = change.Object.Deserialize(KubernetesJsonContext.Default.V1Status);
                if (status?.Code == (int)HttpStatusCode.Gone)
                {
                    return null;
                }

                throw new KubernetesApiException((HttpStatusCode)(status?.Code ?? 500), status?.Message ?? "a watch ERROR event", "the watch ended with");
            default:
                throw new JsonException($"unknown watch event type '{change.Type}'");
        }
    }

    /// <summary>Caller holds the lock. True when the instance set changed.</summary>
    private bool Upsert(V1Pod pod, bool reread = false)
    {
        string uid = pod.Metadata!.Uid!;
        _pods.TryGetValue(uid, out var previous);
        var next = _reader.Read(pod, reread ? null : previous);
        if (next is null)
        {
            return Remove(uid);
        }

        _podObjects[uid] = pod;
        if (ReferenceEquals(next, previous))
        {
            return false;
        }

        // Stable numbers: a pod keeps its instance numbers for as long as its instances are unchanged, and across a
        // reload that re-reads it into as many instances (the same ones with new settings).
        next = reread && previous is not null && previous.Instances.Count == next.Instances.Count
            ? next with { Instances = [.. next.Instances.Select((i, n) => i with { Index = previous.Instances[n].Index })] }
            : next with { Instances = [.. next.Instances.Select(i => i with { Index = _nextIndex++ })] };
        _pods[uid] = next;
        DiscoveryLog.PodFound(_logger, next.Name, next.Source, next.Instances.Count);
        foreach (var error in next.Errors)
        {
            DiscoveryLog.PodError(_logger, error);
        }

        return true;
    }

    private bool Remove(string uid)
    {
        _podObjects.Remove(uid);
        if (!_pods.Remove(uid, out var gone))
        {
            return false;
        }

        DiscoveryLog.PodGone(_logger, gone.Name);
        return true;
    }

    /// <summary>Several namespaces are one cluster-wide watch filtered here (one connection, not one per namespace).</summary>
    private bool InScope(V1Pod pod) =>
        _reader.Config.Namespaces.Count <= 1 || _reader.Config.Namespaces.Contains(pod.Metadata?.Namespace ?? string.Empty);

    private static string? OneNamespace(KubernetesConfig config) => config.Namespaces.Count == 1 ? config.Namespaces[0] : null;

    private static string? FieldSelector(KubernetesConfig config) =>
        config.NodeName is { } node ? "spec.nodeName=" + node : null;

    private async Task PublishAsync(CancellationToken stop)
    {
        try
        {
            while (await _changed.Reader.WaitToReadAsync(stop).ConfigureAwait(false))
            {
                _changed.Reader.TryRead(out _);
                List<InstanceConfig> instances;
                lock (_pods)
                {
                    instances = [.. _pods.Values.SelectMany(p => p.Instances).OrderBy(i => i.Index)];
                }

                _report = _report with { Pods = PodNames(), Instances = instances.Count, Errors = PodErrors() };
                await _apply(instances).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    private void SetUp(int listed)
    {
        _report = _report with
        {
            Up = true,
            Message = "watching",
            LastList = listed == _report.PodsListed && _report.LastList is not null && _report.Up ? _report.LastList : _clock.GetUtcNow(),
            PodsListed = listed,
            Pods = PodNames(),
            Errors = PodErrors(),
            Lists = Interlocked.Read(ref _lists),
            WatchEvents = Interlocked.Read(ref _events),
        };
    }

    private void SetDown(string reason) =>
        _report = _report with { Up = false, Message = reason, Lists = Interlocked.Read(ref _lists), WatchEvents = Interlocked.Read(ref _events) };

    private List<string> PodNames()
    {
        lock (_pods)
        {
            return [.. _pods.Values.Select(p => $"{p.Name} ({p.Source}, {p.Instances.Count} instance(s))").Order(StringComparer.Ordinal)];
        }
    }

    private List<string> PodErrors()
    {
        lock (_pods)
        {
            return [.. _pods.Values.SelectMany(p => p.Errors)];
        }
    }

    /// <summary>A reason without request details: no request carries anything secret but its header, never quoted.</summary>
    public static string Describe(Exception e) => e switch
    {
        KubernetesApiException or KubernetesConnectionException => e.Message,
        HttpRequestException { StatusCode: { } code } => $"the API answered {(int)code} {code}",
        HttpRequestException { InnerException: { } inner } request when !request.Message.Contains(inner.Message, StringComparison.Ordinal) =>
            "cannot reach the API: " + request.Message + " (" + inner.Message + ")",
        HttpRequestException request => "cannot reach the API: " + request.Message,
        OperationCanceledException => "the API did not answer in time",
        JsonException => "the API sent something that is not a pod list or watch event: " + e.Message,
        _ => e.Message,
    };
}
