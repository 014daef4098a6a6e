using FalcoCheck.Runtime;
using FalcoCheck.Tests.Support;

namespace FalcoCheck.Tests.Scraping;

/// <summary>tls_verify, tls_ca_cert, tls_cert/tls_private_key and proxy settings against real sockets on loopback.</summary>
internal sealed class ScraperTlsAndProxyTests
{
    private static readonly byte[] Payload = "# TYPE falcosecurity_falco_host_num_cpus_total gauge\nfalcosecurity_falco_host_num_cpus_total 8\n"u8.ToArray();

    private static async Task<(string Status, string Message)> CheckAsync(string instance)
    {
        using var config = new TestConfig(instance);
        var run = await CheckRun.RunAsync(config, new CheckRunOptions { Json = true });
        var summary = run.Summaries.Single();
        return (summary.GetProperty("status").GetString()!, summary.GetProperty("message").GetString()!);
    }

    [Test]
    public async Task An_untrusted_certificate_is_refused_by_default()
    {
        using var certificates = new TestCertificates();
        await using var server = new RawHttpServer(Payload, certificates.Server);

        var (status, message) = await CheckAsync($"  - openmetrics_endpoint: https://127.0.0.1:{server.Port}/metrics\n");

        Assert.That(status, Is.EqualTo("critical"));
        Assert.That(message, Does.Contain("TLS"));
    }

    [Test]
    public async Task Tls_verify_false_accepts_it()
    {
        using var certificates = new TestCertificates();
        await using var server = new RawHttpServer(Payload, certificates.Server);

        var (status, _) = await CheckAsync($"  - openmetrics_endpoint: https://127.0.0.1:{server.Port}/metrics\n    tls_verify: false\n");

        Assert.That(status, Is.EqualTo("ok"));
    }

    [Test]
    public async Task Tls_ca_cert_trusts_the_given_CA()
    {
        using var certificates = new TestCertificates();
        await using var server = new RawHttpServer(Payload, certificates.Server);

        var (status, message) = await CheckAsync($"  - openmetrics_endpoint: https://127.0.0.1:{server.Port}/metrics\n    tls_ca_cert: {certificates.CaPath}\n");

        Assert.That(status, Is.EqualTo("ok"), message);
    }

    [Test]
    public async Task Tls_cert_and_key_are_presented_as_the_client_certificate()
    {
        using var certificates = new TestCertificates();
        await using var server = new RawHttpServer(Payload, certificates.Server, requireClientCertificate: true);

        var (status, message) = await CheckAsync(
            $"  - openmetrics_endpoint: https://127.0.0.1:{server.Port}/metrics\n    tls_ca_cert: {certificates.CaPath}\n    tls_cert: {certificates.ClientCertPath}\n    tls_private_key: {certificates.ClientKeyPath}\n");

        Assert.That(status, Is.EqualTo("ok"), message);
        Assert.That(server.ClientCertificateSubject, Is.EqualTo("CN=falcocheck-client"));
    }

    [Test]
    public async Task A_proxy_url_user_info_authenticates_and_never_appears_in_an_error()
    {
        await using var target = new RawHttpServer(Payload);
        await using var proxy = new AuthenticatingProxy("falco", "pr0xy-s3cret");

        var (status, message) = await CheckAsync(
            $"  - openmetrics_endpoint: http://falco.example:{target.Port}/metrics\n    proxy:\n      http: http://falco:pr0xy-s3cret@127.0.0.1:{proxy.Port}\n");
        var (refused, reason) = await CheckAsync(
            $"  - openmetrics_endpoint: https://falco.example:{target.Port}/metrics\n    proxy:\n      https: http://falco:wr0ng-s3cret@127.0.0.1:{proxy.Port}\n");

        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo("ok"), message);
            Assert.That(proxy.Passed, Has.Member($"GET http://falco.example:{target.Port}/metrics HTTP/1.1"));
            Assert.That(refused, Is.EqualTo("critical"));
            Assert.That(reason, Does.Contain("ProxyTunnelError"), reason);
            Assert.That(proxy.Refused, Has.Member($"CONNECT falco.example:{target.Port} HTTP/1.1"));
            Assert.That(reason, Does.Not.Contain("wr0ng-s3cret"), reason);
        });
    }

    [Test]
    public async Task A_proxy_receives_the_request_for_the_endpoint()
    {
        await using var proxy = new RawHttpServer(Payload);

        var (status, message) = await CheckAsync($"  - openmetrics_endpoint: http://falco.example:8765/metrics\n    proxy:\n      http: http://127.0.0.1:{proxy.Port}\n");

        Assert.That(status, Is.EqualTo("ok"), message);
        Assert.That(proxy.RequestLines.Single(), Is.EqualTo("GET http://falco.example:8765/metrics HTTP/1.1"));
    }

    [Test]
    public async Task A_no_proxy_host_is_scraped_directly_whatever_its_port()
    {
        await using var proxy = new RawHttpServer(Payload);
        await using var falco = new RawHttpServer(Payload);

        var (status, message) = await CheckAsync(
            $"  - openmetrics_endpoint: http://127.0.0.1:{falco.Port}/metrics\n    proxy:\n      http: http://127.0.0.1:{proxy.Port}\n      no_proxy: [localhost, 127.0.0.1]\n");

        Assert.That(status, Is.EqualTo("ok"), message);
        Assert.That(proxy.RequestLines, Is.Empty, "127.0.0.1 is in no_proxy (before, the port kept the pattern from matching)");
        Assert.That(falco.RequestLines.Single(), Is.EqualTo("GET /metrics HTTP/1.1"));
    }

    [Test]
    public async Task Init_config_proxy_applies_and_skip_proxy_goes_direct()
    {
        await using var proxy = new RawHttpServer(Payload);
        // Nothing listens on this port: only the proxy can answer for it (and no name lookup leaves the machine).
        var closed = TestHttpServer.FreePort();
        using var config = new TestConfig(
            $"  - openmetrics_endpoint: http://localhost:{closed}/metrics\n  - openmetrics_endpoint: http://localhost:{closed}/other\n    skip_proxy: true\n",
            initConfig: $"init_config:\n  proxy:\n    http: http://127.0.0.1:{proxy.Port}\n");

        var run = await CheckRun.RunAsync(config, new CheckRunOptions { Json = true });

        var byInstance = run.Summaries.ToDictionary(s => s.GetProperty("instance").GetInt32(), s => s.GetProperty("status").GetString());
        Assert.That(byInstance[0], Is.EqualTo("ok"));
        Assert.That(byInstance[1], Is.EqualTo("critical"), "direct: nothing listens there");
        Assert.That(proxy.RequestLines, Has.Count.EqualTo(1));
    }
}
