using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace FalcoCheck.Scraping;

/// <summary>
/// TLS of an outgoing connection from Datadog-style options (tls_verify, tls_ca_cert, tls_cert, tls_private_key):
/// the one implementation the scraper and the network sinks share.
/// </summary>
internal static class ClientTls
{
    public static SslClientAuthenticationOptions Create(bool verify, string? caPath, string? certPath, string? keyPath)
    {
        var ssl = new SslClientAuthenticationOptions();
        if (!verify)
        {
            ssl.RemoteCertificateValidationCallback = static (_, _, _, _) => true;
        }
        else if (caPath is not null)
        {
            var roots = new X509Certificate2Collection();
            roots.ImportFromPemFile(caPath);
            ssl.RemoteCertificateValidationCallback = (_, certificate, _, errors) => TrustedBy(roots, certificate, errors);
        }

        if (certPath is not null)
        {
            ssl.ClientCertificates = [X509Certificate2.CreateFromPemFile(certPath, keyPath)];
        }

        return ssl;
    }

    /// <summary>The server certificate chains to one of the given roots (and names the host we asked for).</summary>
    private static bool TrustedBy(X509Certificate2Collection roots, X509Certificate? certificate, SslPolicyErrors errors)
    {
        if (certificate is null || (errors & (SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateNotAvailable)) != 0)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = new X509Certificate2(certificate);
        return chain.Build(leaf);
    }
}
