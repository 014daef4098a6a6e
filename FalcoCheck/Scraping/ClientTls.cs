using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace FalcoCheck.Scraping;

/// <summary>
/// TLS of an outgoing connection: the one implementation the scraper, the network sinks and the Kubernetes client
/// share. From Datadog-style options (tls_verify, tls_ca_cert, tls_cert, tls_private_key) or from certificates
/// already loaded (a kubeconfig's <c>certificate-authority-data</c>, with <c>tls-server-name</c>).
/// </summary>
internal static class ClientTls
{
    /// <summary>Extended key usage "TLS Web Server Authentication" (RFC 5280 4.2.1.12).</summary>
    private static readonly Oid ServerAuthentication = new("1.3.6.1.5.5.7.3.1");

    public static SslClientAuthenticationOptions Create(bool verify, string? caPath, string? certPath, string? keyPath)
    {
        X509Certificate2Collection? roots = null;
        if (verify && caPath is not null)
        {
            roots = [];
            roots.ImportFromPemFile(caPath);
        }

        return Create(verify, roots, certPath is null ? null : X509Certificate2.CreateFromPemFile(certPath, keyPath));
    }

    /// <param name="verify">false accepts any server certificate (tls_verify: false, insecure-skip-tls-verify).</param>
    /// <param name="roots">The only roots the server's certificate may chain to; null for the system's.</param>
    /// <param name="clientCertificate">Presented when the server asks for one.</param>
    /// <param name="serverName">The name the certificate must carry instead of the host dialled (tls-server-name).</param>
    public static SslClientAuthenticationOptions Create(bool verify, X509Certificate2Collection? roots, X509Certificate2? clientCertificate, string? serverName = null)
    {
        var ssl = new SslClientAuthenticationOptions();
        if (!verify)
        {
            ssl.RemoteCertificateValidationCallback = static (_, _, _, _) => true;
        }
        else
        {
            if (roots is not null)
            {
                // The runtime builds the chain with the intermediates the server sent (as Go, OpenSSL and curl do;
                // a CA file usually holds the root only) and checks the dates and the host; only the roots are ours.
                // No revocation check: private CAs rarely publish a CRL. Server authentication, as Go's x509 asks.
                var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
                policy.CustomTrustStore.AddRange(roots);
                policy.ApplicationPolicy.Add(ServerAuthentication);
                ssl.CertificateChainPolicy = policy;
            }

            if (serverName is not null)
            {
                // SocketsHttpHandler sets TargetHost (the SNI and the name checked) from the URL, so the name check is
                // ours: the chain and dates as the runtime found them, the name against serverName instead.
                ssl.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                    (errors & ~SslPolicyErrors.RemoteCertificateNameMismatch) == SslPolicyErrors.None
                    && certificate is X509Certificate2 server && server.MatchesHostname(serverName);
            }
        }

        if (clientCertificate is not null)
        {
            ssl.ClientCertificates = [clientCertificate];
        }

        return ssl;
    }
}
