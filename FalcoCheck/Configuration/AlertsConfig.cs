namespace FalcoCheck.Configuration;

/// <summary>
/// The agent file's <c>alerts:</c> section: where Falco's alerts come in (the <c>http_output</c> receiver, followed
/// <c>file_output</c> files), where they go (log sinks), and the queue and spool in between. Paths are absolute.
/// </summary>
internal sealed record AlertsConfig
{
    public const string DefaultService = "falco";

    /// <summary>Entries kept in memory per log sink before they spill to the spool (OpenTelemetry's batch queue default).</summary>
    public const int DefaultQueueSize = 2048;

    /// <summary>Bytes of spool per log sink: an hour of 100 alerts/s of 700 bytes each, with room to spare.</summary>
    public const long DefaultSpoolMaxBytes = 256L * 1024 * 1024;

    public static readonly TimeSpan DefaultMetricsInterval = TimeSpan.FromSeconds(15);

    public SourcePosition Position { get; init; } = new(AgentConfig.DefaultSourceFile, 1, 1);

    /// <summary>The receiver; null when <c>http:</c> is absent (no port is opened).</summary>
    public AlertsHttpConfig? Http { get; init; }

    /// <summary>Falco <c>file_output</c> files to follow.</summary>
    public IReadOnlyList<string> Files { get; init; } = [];

    /// <summary>conf.yaml's <c>logs:</c> files, followed the same way, each with its own service and tags.</summary>
    public IReadOnlyList<LogFileInput> LogFiles { get; init; } = [];

    /// <summary>
    /// Log sinks: <see cref="DatadogLogsSinkConfig"/>, <see cref="FileSinkConfig"/>, <see cref="ConsoleSinkConfig"/>,
    /// <see cref="SyslogSinkConfig"/>, <see cref="NatsSinkConfig"/>, <see cref="LokiSinkConfig"/>, <see cref="OtlpLogsSinkConfig"/>.
    /// </summary>
    public IReadOnlyList<SinkConfig> Sinks { get; init; } = [new ConsoleSinkConfig(new SourcePosition(AgentConfig.DefaultSourceFile, 1, 1))];

    /// <summary>Tags added to every alert and to <c>falco.alerts.count</c>, after the agent's tags.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>The <c>service</c> attribute of every alert log.</summary>
    public string Service { get; init; } = DefaultService;

    public int QueueSize { get; init; } = DefaultQueueSize;

    /// <summary>One sub-folder per log sink; default <c>&lt;state_dir&gt;/alerts/spool</c>.</summary>
    public string SpoolDir { get; init; } = Path.GetFullPath(Path.Combine(AgentConfig.DefaultStateDir, "alerts", "spool"));

    public long SpoolMaxBytes { get; init; } = DefaultSpoolMaxBytes;

    /// <summary>Read offsets of followed files; default <c>&lt;state_dir&gt;/alerts/files</c>.</summary>
    public string FileStateDir { get; init; } = Path.GetFullPath(Path.Combine(AgentConfig.DefaultStateDir, "alerts", "files"));

    /// <summary>How often <c>falco.alerts.count</c> is submitted to the metrics sinks.</summary>
    public TimeSpan MetricsInterval { get; init; } = DefaultMetricsInterval;
}
