namespace FalcoCheck.Configuration;

/// <summary><c>init_config:</c>, the defaults every instance of the check inherits (Datadog's meaning kept).</summary>
internal sealed record InitConfig
{
    /// <summary>Datadog's default <c>timeout</c> (conf.yaml.example: "default: 10").</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    public static InitConfig Default { get; } = new();

    public TimeSpan Timeout { get; init; } = DefaultTimeout;

    public Scraping.OutboundProxy? Proxy { get; init; }

    public bool SkipProxy { get; init; }

    public string? Service { get; init; }
}
