using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using FalcoCheck.Scraping;

namespace FalcoCheck.Tests.Scraping;

/// <summary>Scrapers with equal plain settings share one socket handler; anything read from files or a proxy does not.</summary>
internal sealed class SharedScrapeHandlersTests
{
    // A connect timeout no other test uses, so handlers rented by tests running in parallel are never these.
    private static ScraperOptions Options(string endpoint, double connectSeconds = 7.125) => new()
    {
        Endpoint = new Uri(endpoint),
        DisplayName = endpoint,
        ConnectTimeout = TimeSpan.FromSeconds(connectSeconds),
    };

    [Test]
    public void Equal_settings_share_one_handler_whatever_the_endpoint()
    {
        using var a = SharedScrapeHandlers.Rent(Options("http://127.0.0.1:8765/node-1/metrics"));
        using var b = SharedScrapeHandlers.Rent(Options("http://10.0.0.2:8765/metrics"));

        Assert.That(b.Handler, Is.SameAs(a.Handler));
    }

    [Test]
    public void Different_settings_get_different_handlers()
    {
        var plain = Options("http://127.0.0.1:8765/metrics", 7.25);
        using var a = SharedScrapeHandlers.Rent(plain);
        using var noVerify = SharedScrapeHandlers.Rent(plain with { TlsVerify = false });
        using var noProxy = SharedScrapeHandlers.Rent(plain with { SkipProxy = true });
        using var slower = SharedScrapeHandlers.Rent(plain with { ConnectTimeout = TimeSpan.FromSeconds(7.5) });
        using var noRedirects = SharedScrapeHandlers.Rent(plain with { AllowRedirects = false });
        using var tls13 = SharedScrapeHandlers.Rent(plain with { TlsProtocols = SslProtocols.Tls13 });

        Assert.That(new[] { a.Handler, noVerify.Handler, noProxy.Handler, slower.Handler, noRedirects.Handler, tls13.Handler }, Is.Unique);
        Assert.That(noRedirects.Handler.AllowAutoRedirect, Is.False);
        Assert.That(tls13.Handler.SslOptions.EnabledSslProtocols, Is.EqualTo(SslProtocols.Tls13));
        Assert.That(noVerify.Handler.SslOptions.RemoteCertificateValidationCallback, Is.Not.Null);
        Assert.That(noProxy.Handler.UseProxy, Is.False);
        Assert.That(slower.Handler.ConnectTimeout, Is.EqualTo(TimeSpan.FromSeconds(7.5)));
    }

    [Test]
    public void A_proxy_or_a_cipher_list_keeps_the_handler_the_instance_own()
    {
        var plain = Options("https://127.0.0.1:8765/metrics", 7.375);
        var proxy = new WebProxy("http://127.0.0.1:3128");
        using var first = SharedScrapeHandlers.Rent(plain with { Proxy = proxy });
        using var second = SharedScrapeHandlers.Rent(plain with { Proxy = proxy });
        using var ciphers = SharedScrapeHandlers.Rent(plain with { TlsCiphers = [TlsCipherSuite.TLS_AES_128_GCM_SHA256] });
        using var ciphersAgain = SharedScrapeHandlers.Rent(plain with { TlsCiphers = [TlsCipherSuite.TLS_AES_128_GCM_SHA256] });

        Assert.That(second.Handler, Is.Not.SameAs(first.Handler));
        Assert.That(first.Handler.Proxy, Is.SameAs(proxy));
        Assert.That(ciphersAgain.Handler, Is.Not.SameAs(ciphers.Handler));
    }

    [Test]
    public void The_last_lease_disposes_the_handler_and_the_next_rent_builds_a_new_one()
    {
        var options = Options("http://127.0.0.1:8765/metrics", 7.625);
        var first = SharedScrapeHandlers.Rent(options);
        var second = SharedScrapeHandlers.Rent(options);
        var handler = first.Handler;

        first.Dispose();
        first.Dispose(); // twice is once
        using (var third = SharedScrapeHandlers.Rent(options))
        {
            Assert.That(third.Handler, Is.SameAs(handler), "one scraper still holds it");
        }

        second.Dispose();
        using var fresh = SharedScrapeHandlers.Rent(options);

        Assert.That(fresh.Handler, Is.Not.SameAs(handler));
        Assert.That(() => handler.ConnectTimeout = TimeSpan.FromSeconds(1), Throws.InstanceOf<ObjectDisposedException>(), "the old handler was disposed");
    }
}
