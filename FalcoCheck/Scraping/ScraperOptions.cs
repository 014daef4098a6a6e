using System.Net;

namespace FalcoCheck.Scraping;

/// <summary>How to reach one endpoint. Built from an instance's settings; knows nothing of YAML.</summary>
internal sealed record ScraperOptions
{
    /// <summary>Default cap on a response body (after decompression): Falco's payloads are tens of kilobytes.</summary>
    public const long DefaultMaxResponseBytes = 64L * 1024 * 1024;

    public required Uri Endpoint { get; init; }

    /// <summary>The endpoint as it may be shown: no user-info, no query.</summary>
    public required string DisplayName { get; init; }

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan ReadTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public long MaxResponseBytes { get; init; } = DefaultMaxResponseBytes;

    /// <summary>Ask for OpenMetrics 1.0 text first (Falco answers Prometheus text either way).</summary>
    public bool PreferOpenMetrics { get; init; }

    /// <summary>Replaces the default headers when set (Datadog's <c>headers</c>).</summary>
    public IReadOnlyDictionary<string, string>? Headers { get; init; }

    public IReadOnlyDictionary<string, string> ExtraHeaders { get; init; } = new Dictionary<string, string>();

    public string? Username { get; init; }

    /// <summary>Basic-auth password. Never logged.</summary>
    public string? Password { get; init; }

    /// <summary>Token read from a file at every scrape and written into a header.</summary>
    public AuthTokenSource? AuthToken { get; init; }

    public bool TlsVerify { get; init; } = true;

    public string? TlsCaCert { get; init; }

    public string? TlsCert { get; init; }

    public string? TlsPrivateKey { get; init; }

    /// <summary>Null: use the environment's proxy settings. Set: use this proxy.</summary>
    public IWebProxy? Proxy { get; init; }

    /// <summary>Connect directly, ignoring any proxy.</summary>
    public bool SkipProxy { get; init; }

    /// <summary>Follow HTTP redirects (Datadog's <c>allow_redirects</c>, true by default).</summary>
    public bool AllowRedirects { get; init; } = true;

    /// <summary>TLS versions to offer; None lets the system choose.</summary>
    public System.Security.Authentication.SslProtocols TlsProtocols { get; init; }

    /// <summary>Cipher suites to offer; null keeps the system's.</summary>
    public IReadOnlyList<System.Net.Security.TlsCipherSuite>? TlsCiphers { get; init; }
}
