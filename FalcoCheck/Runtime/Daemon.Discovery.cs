using FalcoCheck.Configuration;
using FalcoCheck.Discovery;
using FalcoCheck.Mapping;
using FalcoCheck.Sinks;
using Microsoft.Extensions.Logging;

namespace FalcoCheck.Runtime;

/// <summary>
/// Kubernetes discovery in the daemon: discovered pods are instances beside conf.d's, applied through the same
/// scheduler difference as a reload. Each discovered instance's settings are built once, so a pod that comes, goes
/// or moves starts or stops its own loop and leaves every other loop (and conf.d's) untouched.
/// </summary>
internal sealed partial class Daemon
{
    public const string KubernetesServiceCheck = "falco.check.kubernetes.up";
    public const string KubernetesPods = "falco.check.kubernetes.pods";

    private KubernetesDiscovery? _discovery;
    private DiscoveryReport? _discoveryFailure;
    private IReadOnlyList<InstanceConfig> _discovered = [];
    private List<InstanceSettings> _confdSettings = [];
    private Dictionary<InstanceConfig, InstanceSettings> _discoveredSettings = new(ReferenceEqualityComparer.Instance);
    private Task _discoveryTelemetry = Task.CompletedTask;

    /// <summary>
    /// At a reload: auto_conf.yaml read again (null when discovery is off). Errors refuse the reload; else the
    /// caller applies it with <see cref="KubernetesDiscovery.Reread"/>, to the pods already known.
    /// </summary>
    private PodInstances? ReadTemplate(AgentConfig agent, out IReadOnlyList<string> errors)
    {
        errors = [];
        if (_discovery is null)
        {
            return null;
        }

        try
        {
            // The kubernetes section itself needs a restart (it shapes the watch): the running one is kept.
            return PodInstances.Load(_discovery.Reader.Config, ConfigLoader.AutoConfPath(agent), _options.GetEnv, agent.SecretBackend, out errors);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            errors = [$"{ConfigLoader.AutoConfPath(agent)}: cannot read: {e.Message}"];
            return null;
        }
    }

    /// <summary>Kubernetes discovery's state for <c>status</c>; null when <c>kubernetes.enabled</c> is off.</summary>
    public DiscoveryReport? Kubernetes => _discovery?.Report ?? _discoveryFailure;

    /// <summary>conf.d's settings followed by the discovered instances'; <paramref name="rebuild"/> after the agent file changed.</summary>
    private List<InstanceSettings> WithDiscovered(AgentConfig agent, List<InstanceSettings> confd, bool rebuild)
    {
        _confdSettings = confd;
        var next = new Dictionary<InstanceConfig, InstanceSettings>(ReferenceEqualityComparer.Instance);
        foreach (var instance in _discovered)
        {
            next[instance] = !rebuild && _discoveredSettings.TryGetValue(instance, out var built) ? built : InstanceSettingsFactory.Create(instance, agent) with { Discovered = true };
        }

        _discoveredSettings = next;
        return [.. confd, .. next.Values];
    }

    private void StartDiscovery()
    {
        if (_agent.Kubernetes is not { Enabled: true } config)
        {
            return;
        }

        var logger = _loggers.CreateLogger("FalcoCheck.Discovery");
        try
        {
            var reader = PodInstances.Load(config, ConfigLoader.AutoConfPath(_agent), _options.GetEnv, _agent.SecretBackend, out var errors);
            foreach (var error in errors)
            {
                DaemonLog.ConfigError(_logger, error);
            }

            _discovery = new KubernetesDiscovery(reader, ApplyDiscoveredAsync, logger, _clock) { MaxBackoff = _options.DiscoveryMaxBackoff };
        }
        catch (Exception e) when (e is KubernetesConnectionException or IOException or UnauthorizedAccessException or InvalidOperationException or ArgumentException or FormatException)
        {
            // A broken kubeconfig or service account mount: reported like the API being down, conf.d still runs.
            _discoveryFailure = new DiscoveryReport { Up = false, Message = "cannot configure the Kubernetes client: " + e.Message, Api = config.Kubeconfig ?? "in-cluster", Scope = string.Empty, Pods = [], Errors = [] };
            DiscoveryLog.ApiDown(logger, _discoveryFailure.Message, 0);
        }

        _discovery?.Start();
        _discoveryTelemetry = Task.Run(() => ReportDiscoveryAsync(_stopping.Token), CancellationToken.None);
    }

    private async Task StopDiscoveryAsync()
    {
        if (_discovery is not null)
        {
            await _discovery.DisposeAsync().ConfigureAwait(false);
        }

        await _discoveryTelemetry.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private async Task ApplyDiscoveredAsync(IReadOnlyList<InstanceConfig> instances)
    {
        if (!await WaitQuietlyAsync(_reloadLock, _stopping.Token).ConfigureAwait(false))
        {
            return;
        }

        try
        {
            // The latest set, not the one handed over: a reload may have re-read the pods since this apply was queued.
            _discovered = _discovery?.Instances ?? instances;
            await _scheduler!.ApplyAsync(WithDiscovered(_agent, _confdSettings, rebuild: false), _stopping.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // Stopping: the scheduler stops every loop next.
        }
        finally
        {
            _reloadLock.Release();
        }
    }

    /// <summary><see cref="KubernetesServiceCheck"/> and the number of discovered pods, at the telemetry interval.</summary>
    private async Task ReportDiscoveryAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(TelemetryInterval(), _clock, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            if (Kubernetes is { } report && _context is { } context)
            {
                var tags = new List<string>(_agent.Tags);
                if (_agent.Kubernetes?.ClusterName is { } cluster)
                {
                    tags.Add("kube_cluster_name:" + cluster);
                }

                long now = _clock.GetUtcNow().ToUnixTimeSeconds();
                string[] tagArray = [.. tags];
                var check = new ServiceCheck(KubernetesServiceCheck, report.Up ? ServiceCheckStatus.Ok : ServiceCheckStatus.Critical,
                    report.Up ? string.Empty : report.Message, now, _agent.Hostname, tagArray);
                var pods = new MetricPoint(KubernetesPods, MetricKind.Gauge, report.Pods.Count, now, 0, _agent.Hostname, tagArray, null);
                context.Sinks.Enqueue(new Submission(SelfTelemetry.AgentSubmission, [pods], [check]));
            }
        }
    }

    /// <summary>
    /// The agent as the alert pipeline sees it: with discovery on, alerts received on this node (and their
    /// falco.alerts.count) also carry <c>kube_cluster_name</c> and <c>kube_node</c>, as the node's Falco metrics do.
    /// </summary>
    public static AgentConfig ForAlerts(AgentConfig agent) =>
        agent.Kubernetes?.NodeTags() is { Count: > 0 } tags ? agent with { Tags = [.. agent.Tags, .. tags] } : agent;

    /// <summary>The kubernetes section is read once, at start: a reload reports a change instead of half-applying it.</summary>
    private static bool KubernetesChanged(KubernetesConfig? running, KubernetesConfig? next) =>
        running?.Enabled != next?.Enabled || running?.Kubeconfig != next?.Kubeconfig || running?.NodeName != next?.NodeName
        || running?.ClusterName != next?.ClusterName || running?.ResyncPeriod != next?.ResyncPeriod
        || !(running?.Namespaces ?? []).SequenceEqual(next?.Namespaces ?? [])
        || !(running?.PodLabelsAsTags ?? new Dictionary<string, string>()).OrderBy(p => p.Key, StringComparer.Ordinal)
            .SequenceEqual((next?.PodLabelsAsTags ?? new Dictionary<string, string>()).OrderBy(p => p.Key, StringComparer.Ordinal));
}
