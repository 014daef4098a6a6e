using System.Net.Security;
using FalcoCheck.Scraping;

namespace FalcoCheck.Sinks.Delivery;

/// <summary>TLS of a sink's own connection (syslog, NATS): the instance options' <c>tls_*</c> keys.</summary>
internal sealed record ClientTlsOptions
{
    public bool Verify { get; init; } = true;

    /// <summary>A PEM file of the CA(s) to trust instead of the system's.</summary>
    public string? CaCert { get; init; }

    public string? Cert { get; init; }

    public string? PrivateKey { get; init; }

    public SslClientAuthenticationOptions Create() => ClientTls.Create(Verify, CaCert, Cert, PrivateKey);
}
