namespace FalcoCheck.Configuration;

/// <summary>
/// The agent settings only <c>falcocheck run</c> reads: <c>watch_config</c>, <c>status</c>,
/// <c>state_flush_interval</c>, <c>shutdown_timeout</c> and <c>kubernetes</c> (discovery, Discovery/). Kept apart from
/// <see cref="AgentConfigReader"/> so the daemon's settings read as one group.
/// </summary>
internal static class DaemonConfigReader
{
    public const string WatchConfig = "watch_config";
    public const string Status = "status";
    public const string StateFlushInterval = "state_flush_interval";
    public const string ShutdownTimeout = "shutdown_timeout";

    public static IReadOnlyList<string> Keys { get; } = [WatchConfig, Status, StateFlushInterval, ShutdownTimeout, KubernetesConfigReader.Key];

    private static readonly string[] StatusKeys = ["enabled", "listen"];

    /// <summary>Applies the daemon settings of <paramref name="map"/> to <paramref name="config"/>.</summary>
    public static AgentConfig Read(ConfigMapping map, AgentConfig config) => config with
    {
        WatchConfig = map.Bool(WatchConfig) ?? false,
        Status = ReadStatus(map) ?? new StatusConfig(),
        StateFlushInterval = map.Seconds(StateFlushInterval) ?? AgentConfig.DefaultStateFlushInterval,
        ShutdownTimeout = map.Seconds(ShutdownTimeout) ?? AgentConfig.DefaultShutdownTimeout,
        Kubernetes = KubernetesConfigReader.Read(map),
    };

    private static StatusConfig? ReadStatus(ConfigMapping agent)
    {
        ConfigMapping? map = ConfigMapping.Open(agent.Context, agent.Get(Status), agent.PathOf(Status), agent.PositionOf(Status), StatusKeys);
        if (map is null)
        {
            return null;
        }

        var status = new StatusConfig { Enabled = map.Bool("enabled") ?? true };
        if (map.String("listen") is { } listen)
        {
            if (StatusConfig.TryParseListen(listen, out var endpoint))
            {
                return status with { Listen = endpoint };
            }

            map.Error("listen", $"expected an IP address and port such as 127.0.0.1:{StatusConfig.DefaultPort} or [::1]:{StatusConfig.DefaultPort}, got {ValueReader.Quote(listen)}");
        }

        return status;
    }
}
