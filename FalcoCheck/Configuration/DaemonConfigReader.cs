using static FalcoCheck.Configuration.Declare;

namespace FalcoCheck.Configuration;

/// <summary>
/// The agent settings only <c>falcocheck run</c> reads: <c>state_flush_interval</c>, <c>shutdown_timeout</c>,
/// <c>watch_config</c>, <c>status</c> and <c>kubernetes</c> (discovery, Discovery/). Kept apart from
/// <see cref="AgentConfigReader"/> so the daemon's settings read as one group.
/// </summary>
internal static class DaemonConfigReader
{
    private static readonly ValueOption<TimeSpan> StateFlushInterval = Seconds("state_flush_interval", AgentConfig.DefaultStateFlushInterval.TotalSeconds,
        "seconds between saves of counter state (it is also saved on stop)");
    private static readonly ValueOption<TimeSpan> ShutdownTimeout = Seconds("shutdown_timeout", AgentConfig.DefaultShutdownTimeout.TotalSeconds,
        "seconds for in-flight runs and the sinks' flush on SIGTERM/SIGINT");
    private static readonly ValueOption<bool> WatchConfig = Bool("watch_config", false,
        "reload when `falcocheck.yaml` or `conf.d/falco.d/conf.yaml` changes, as on SIGHUP");
    private static readonly ValueOption<bool> Enabled = Bool("enabled", true, "serve the status endpoint");
    private static readonly TextOption<System.Net.IPEndPoint> Listen = Declare.Listen("listen", StatusConfig.DefaultPort, anyPort: false,
        "where: an IPv4 address, `[IPv6]` or `localhost`, and a port; loopback unless you write another address");

    public static OptionSection StatusSection { get; } = new("status", "a mapping", [Enabled, Listen]);

    private static readonly SectionOption Status = Nested("status", "the endpoint `falcocheck status` reads", "\n  enabled: true\n  listen: 127.0.0.1:8766",
        () => StatusSection, rule: "enabled, on 127.0.0.1:8766 (loopback only)");

    private static readonly SectionOption Kubernetes = Nested("kubernetes", "Kubernetes discovery of Falco pods (see `kubernetes`)",
        "\n  enabled: true\n  node_name: \"%%env_NODE_NAME%%\"", () => KubernetesConfigReader.Section);

    /// <summary>The daemon's settings, in falcocheck.yaml's order; the README's table is made from them.</summary>
    public static IReadOnlyList<ConfigOption> Options { get; } = [StateFlushInterval, ShutdownTimeout, WatchConfig, Status, Kubernetes];

    public static OptionSection Section { get; } = new("daemon", "a mapping", Options) { TopLevel = true };

    /// <summary>Applies the daemon settings of <paramref name="map"/> to <paramref name="config"/>.</summary>
    public static AgentConfig Read(ConfigMapping map, AgentConfig config) => config with
    {
        WatchConfig = WatchConfig.Read(map),
        Status = Status.Open(map) is { } status ? new StatusConfig { Enabled = Enabled.Read(status), Listen = Listen.Read(status)! } : new StatusConfig(),
        StateFlushInterval = StateFlushInterval.Read(map),
        ShutdownTimeout = ShutdownTimeout.Read(map),
        Kubernetes = map.Get(Kubernetes.Name) is null ? null : KubernetesConfigReader.Read(Kubernetes.Open(map)),
    };
}
