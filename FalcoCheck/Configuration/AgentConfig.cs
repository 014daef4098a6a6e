namespace FalcoCheck.Configuration;

/// <summary>
/// The agent file (<c>falcocheck.yaml</c>): who we are, where things live and where metrics go. Paths are
/// absolute, resolved against the file's directory at load time; <c>new AgentConfig()</c> is the built-in
/// default (no file) resolved against the working directory.
/// </summary>
internal sealed record AgentConfig
{
    public const string DefaultSourceFile = "<default>";
    public const string DefaultStateDir = "state";
    public const string DefaultConfdPath = "conf.d";
    public const string DefaultLogLevel = "info";

    /// <summary>Datadog's US1 site, the Agent's default for <c>site</c> / <c>DD_SITE</c>.</summary>
    public const string DefaultSite = "datadoghq.com";

    public const int DefaultMaxConcurrentScrapes = 8;

    public static IReadOnlyList<string> LogLevels { get; } = ["trace", "debug", "info", "warn", "error", "off"];

    public string SourceFile { get; init; } = DefaultSourceFile;

    /// <summary>Host name sent with every series; <c>DD_HOSTNAME</c> overrides the file.</summary>
    public string Hostname { get; init; } = Environment.MachineName;

    public IReadOnlyList<string> Tags { get; init; } = [];

    public IReadOnlyList<SinkConfig> Sinks { get; init; } =
        [new ConsoleSinkConfig(new SourcePosition(DefaultSourceFile, 1, 1))];

    public string StateDir { get; init; } = Path.GetFullPath(DefaultStateDir);

    /// <summary>One of <see cref="LogLevels"/>.</summary>
    public string LogLevel { get; init; } = DefaultLogLevel;

    public string ConfdPath { get; init; } = Path.GetFullPath(DefaultConfdPath);

    /// <summary><c>api_key</c>; <c>DD_API_KEY</c> overrides the file, as in the Datadog Agent.</summary>
    public Secret? ApiKey { get; init; }

    /// <summary><c>site</c>; <c>DD_SITE</c> overrides the file.</summary>
    public string Site { get; init; } = DefaultSite;

    public int MaxConcurrentScrapes { get; init; } = DefaultMaxConcurrentScrapes;

    /// <summary><c>proxy:</c> / <c>skip_proxy</c> with DD_PROXY_* applied: every HTTP sink goes through it; null: the environment's.</summary>
    public Scraping.OutboundProxy? Proxy { get; init; }

    /// <summary><c>secret_backend_command</c> and companions: resolves <c>ENC[handle]</c> values in both files.</summary>
    public SecretBackendConfig? SecretBackend { get; init; }

    /// <summary>How often <c>run</c> saves counter state between runs (it also saves on shutdown).</summary>
    public static readonly TimeSpan DefaultStateFlushInterval = TimeSpan.FromSeconds(60);

    /// <summary>The Generic Host's own default shutdown timeout (HostOptions.ShutdownTimeout, 30 s).</summary>
    public static readonly TimeSpan DefaultShutdownTimeout = TimeSpan.FromSeconds(30);

    /// <summary><c>watch_config</c>: <c>run</c> reloads when the agent or check file changes, as on SIGHUP.</summary>
    public bool WatchConfig { get; init; }

    /// <summary><c>status</c>: the endpoint <c>falcocheck status</c> reads.</summary>
    public StatusConfig Status { get; init; } = new();

    /// <summary><c>state_flush_interval</c>: seconds between saves of counter state by <c>run</c>.</summary>
    public TimeSpan StateFlushInterval { get; init; } = DefaultStateFlushInterval;

    /// <summary><c>shutdown_timeout</c>: on SIGTERM, time for in-flight scrapes and the sinks to finish.</summary>
    public TimeSpan ShutdownTimeout { get; init; } = DefaultShutdownTimeout;

    /// <summary>The <c>alerts:</c> section; null when absent (no alert inputs in the daemon).</summary>
    public AlertsConfig? Alerts { get; init; }

    /// <summary>The <c>kubernetes:</c> section; null when absent (no discovery).</summary>
    public KubernetesConfig? Kubernetes { get; init; }
}
