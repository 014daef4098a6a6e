using FalcoCheck.Discovery;
using FalcoCheck.Runtime;
using FalcoCheck.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using static FalcoCheck.Tests.Discovery.KubernetesConnectionTests;

namespace FalcoCheck.Tests.Scraping;

/// <summary>
/// One check of a server certificate against a custom CA (ClientTls) for the scraper, the sinks and the Kubernetes
/// client: the same certificates give the same answer through a scrape (<c>tls_ca_cert</c>) and through discovery
/// (<c>certificate-authority</c>). A CA file holds the root; a server may send an intermediate with its certificate
/// (as Go's crypto/tls, OpenSSL and curl use it); a certificate that is not for server authentication is refused.
/// </summary>
internal sealed class ClientTlsTests
{
    private static readonly byte[] Payload = "# TYPE falcosecurity_falco_host_num_cpus_total gauge\nfalcosecurity_falco_host_num_cpus_total 8\n"u8.ToArray();

    private static async Task<(string Status, string Message)> ScrapeAsync(TestCertificates certificates)
    {
        await using var server = new RawHttpServer(Payload, certificates.Server, intermediates: certificates.Intermediates);
        using var config = new TestConfig($"  - openmetrics_endpoint: https://127.0.0.1:{server.Port}/metrics\n    tls_ca_cert: {certificates.CaPath}\n");
        var run = await CheckRun.RunAsync(config, new CheckRunOptions { Json = true });
        var summary = run.Summaries.Single();
        return (summary.GetProperty("status").GetString()!, summary.GetProperty("message").GetString()!);
    }

    private static async Task<string?> ListAsync(TlsApi tls)
    {
        string kubeconfig = tls.Dir.Write("kubeconfig", Kubeconfig(tls.Server, $"    certificate-authority: {tls.Certificates.CaPath}", "    token: t"));
        await using var discovery = new KubernetesDiscovery(Reader(kubeconfig, _ => null, tls.Dir.Path), _ => Task.CompletedTask, NullLogger.Instance, TimeProvider.System);
        try
        {
            await discovery.ListOnceAsync(CancellationToken.None);
            return null;
        }
        catch (HttpRequestException e)
        {
            return KubernetesDiscovery.Describe(e);
        }
    }

    [Test]
    public async Task A_root_only_CA_file_trusts_a_server_that_sends_its_intermediate()
    {
        using var certificates = new TestCertificates(intermediate: true);
        await using var tls = new TlsApi(intermediate: true);

        var (status, message) = await ScrapeAsync(certificates);
        string? listed = await ListAsync(tls);

        Assert.That(status, Is.EqualTo("ok"), "scrape: " + message);
        Assert.That(listed, Is.Null, "kubernetes: " + listed);
    }

    [Test]
    public async Task A_server_without_the_intermediate_is_refused()
    {
        // The control for the test above: the intermediate is what makes the chain, not a lax check.
        using var certificates = new TestCertificates(intermediate: true);
        certificates.Intermediates.Clear();

        var (status, message) = await ScrapeAsync(certificates);

        Assert.That(status, Is.EqualTo("critical"));
        Assert.That(message, Does.Contain("TLS").Or.Contain("SSL"), message);
    }

    [Test]
    public async Task A_certificate_not_for_server_authentication_is_refused()
    {
        using var certificates = new TestCertificates(serverAuthUsage: false);

        var (status, message) = await ScrapeAsync(certificates);

        Assert.That(status, Is.EqualTo("critical"), "a client-authentication certificate accepted as a server's: " + message);
    }
}
