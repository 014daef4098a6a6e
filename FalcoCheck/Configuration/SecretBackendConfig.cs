namespace FalcoCheck.Configuration;

/// <summary>
/// <c>secret_backend_command</c> and its companions in falcocheck.yaml: the Datadog Agent's secrets management
/// (https://docs.datadoghq.com/agent/configuration/secrets-management/). Values written <c>ENC[handle]</c> in
/// falcocheck.yaml and conf.yaml are fetched from this executable at load time.
/// </summary>
internal sealed record SecretBackendConfig
{
    /// <summary>The Agent's default for <c>secret_backend_timeout</c>.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The Agent's default for <c>secret_backend_output_max_size</c> (1 MiB).</summary>
    public const int DefaultOutputMaxSize = 1 << 20;

    /// <summary>Absolute path of the executable.</summary>
    public required string Command { get; init; }

    public IReadOnlyList<string> Arguments { get; init; } = [];

    public TimeSpan Timeout { get; init; } = DefaultTimeout;

    public int OutputMaxSize { get; init; } = DefaultOutputMaxSize;

    /// <summary>Where <c>secret_backend_command</c> is written, for errors about the executable itself.</summary>
    public required SourcePosition Position { get; init; }
}
