using System.Net;

namespace FalcoCheck.Configuration;

/// <summary>
/// The receiver for Falco's <c>http_output</c>. Loopback by default: alerts describe attacks in progress, and
/// anyone who can post to the receiver can forge them.
/// </summary>
internal sealed record AlertsHttpConfig
{
    /// <summary>Falcosidekick's port, so an existing <c>http_output.url</c> needs no change.</summary>
    public const int DefaultPort = 2801;

    /// <summary>
    /// 1 MiB: a Falco alert is about 1 KB; a JSON array from a forwarder of a few hundred alerts still fits. The
    /// Datadog logs intake truncates single logs at 1 MB anyway.
    /// </summary>
    public const long DefaultMaxBodyBytes = 1024 * 1024;

    /// <summary>Falco's libcurl sends user-info of the URL as Basic auth, so the default header takes both schemes.</summary>
    public const string DefaultTokenHeader = "Authorization";

    public IPEndPoint Listen { get; init; } = new(IPAddress.Loopback, DefaultPort);

    /// <summary>Shared token; null accepts every request.</summary>
    public Secret? Token { get; init; }

    public string TokenHeader { get; init; } = DefaultTokenHeader;

    /// <summary>PEM certificate (chain) for HTTPS; null serves plain HTTP.</summary>
    public string? TlsCert { get; init; }

    /// <summary>PEM private key of <see cref="TlsCert"/>; null when the key is in the certificate file.</summary>
    public string? TlsKey { get; init; }

    public long MaxBodyBytes { get; init; } = DefaultMaxBodyBytes;
}
