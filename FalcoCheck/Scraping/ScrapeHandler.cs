using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace FalcoCheck.Scraping;

/// <summary>Builds the socket handler for one endpoint: compression, connect timeout, TLS and proxy.</summary>
internal static class ScrapeHandler
{
    public static SocketsHttpHandler Create(ScraperOptions options)
    {
        var handler = new SocketsHttpHandler
        {
            AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate,
            ConnectTimeout = options.ConnectTimeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            AllowAutoRedirect = true,
            UseCookies = false,
        };

        if (options.SkipProxy)
        {
            handler.UseProxy = false;
        }
        else if (options.Proxy is not null)
        {
            handler.Proxy = options.Proxy;
            handler.UseProxy = true;
        }

        var ssl = new SslClientAuthenticationOptions();
        if (!options.TlsVerify)
        {
            ssl.RemoteCertificateValidationCallback = static (_, _, _, _) => true;
        }
        else if (options.TlsCaCert is { } caPath)
        {
            var roots = new X509Certificate2Collection();
            roots.ImportFromPemFile(caPath);
            ssl.RemoteCertificateValidationCallback = (_, certificate, _, errors) => ValidateWithRoots(certificate, errors, roots);
        }

        if (options.TlsCert is { } certPath)
        {
            var client = X509Certificate2.CreateFromPemFile(certPath, options.TlsPrivateKey);
            ssl.ClientCertificates = [client];
        }

        handler.SslOptions = ssl;
        return handler;
    }

    private static bool ValidateWithRoots(X509Certificate? certificate, SslPolicyErrors errors, X509Certificate2Collection roots)
    {
        if (certificate is null || (errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0 || (errors & SslPolicyErrors.RemoteCertificateNotAvailable) != 0)
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
