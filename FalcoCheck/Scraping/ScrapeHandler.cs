using System.Net;

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
            AllowAutoRedirect = options.AllowRedirects,
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

        handler.SslOptions = ClientTls.Create(options.TlsVerify, options.TlsCaCert, options.TlsCert, options.TlsPrivateKey);
        handler.SslOptions.EnabledSslProtocols = options.TlsProtocols;
        if (options.TlsCiphers is { Count: > 0 } ciphers && !OperatingSystem.IsWindows())
        {
            handler.SslOptions.CipherSuitesPolicy = new System.Net.Security.CipherSuitesPolicy(ciphers);
        }

        return handler;
    }
}
