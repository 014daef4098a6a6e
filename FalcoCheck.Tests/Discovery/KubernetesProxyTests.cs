using System.Net;
using FalcoCheck.Discovery;
using FalcoCheck.Scraping;
using FalcoCheck.Tests.Configuration;
using FalcoCheck.Tests.Runtime;
using FalcoCheck.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using static FalcoCheck.Tests.Discovery.KubernetesConnectionTests;

namespace FalcoCheck.Tests.Discovery;

/// <summary>
/// The proxy between discovery and the API, as kubectl's: a kubeconfig <c>proxy-url</c> (with its user-info as the
/// proxy's basic credentials, as Go's http.ProxyURL), else HTTPS_PROXY / HTTP_PROXY / NO_PROXY with client-go's rules.
/// End to end through <see cref="AuthenticatingProxy"/> to the stand-in API over TLS at a name only the proxy
/// resolves (kube-api.test), so a request can only have arrived through the proxy.
/// </summary>
public class KubernetesProxyTests
{
    private const string User = "falco";
    private const string Password = "pr0xy-s3cret";
    private const string Name = "kube-api.test";

    private static string ProxyUrl(AuthenticatingProxy proxy, string? userInfo) =>
        $"http://{(userInfo is null ? string.Empty : userInfo + "@")}127.0.0.1:{proxy.Port}";

    private static string WriteKubeconfig(TlsApi tls, string proxyUrl) =>
        tls.Dir.Write("kubeconfig", Kubeconfig($"https://{Name}:{tls.TlsPort}",
            $"    certificate-authority-data: {Base64(File.ReadAllText(tls.Certificates.CaPath))}\n    proxy-url: {proxyUrl}", "    token: t0ken"));

    [Test]
    public async Task Kubeconfig_proxy_url_user_info_is_sent_to_the_proxy_as_basic_credentials()
    {
        await using var tls = new TlsApi(Name);
        await using var proxy = new AuthenticatingProxy(User, Password);
        string kubeconfig = WriteKubeconfig(tls, ProxyUrl(proxy, $"{User}:{Password}"));
        var logger = new RecordingLogger();
        await using var run = new DiscoveryRun(apply => new KubernetesDiscovery(Reader(kubeconfig, _ => null, tls.Dir.Path), apply, logger, TimeProvider.System));

        await run.WaitForAsync("http://10.0.1.1:8765/metrics");
        string status = StatusOf(run.Discovery.Report);

        Assert.Multiple(() =>
        {
            Assert.That(status, Does.Contain($"Kubernetes https://{Name}:{tls.TlsPort} through the proxy http://127.0.0.1:{proxy.Port}/ on node node-1: UP"));
            Assert.That(status, Does.Not.Contain(Password));
            Assert.That(proxy.Passed, Has.Member($"CONNECT {Name}:{tls.TlsPort} HTTP/1.1"), "the API was reached through the proxy's tunnel");
            Assert.That(tls.Api.LastAuthorization, Is.EqualTo("Bearer t0ken"));
            Assert.That(run.Discovery.Proxy, Is.EqualTo($"http://127.0.0.1:{proxy.Port}/"), "shown without its user-info");
            Assert.That(logger.Lines, Has.Some.Contains($"through the proxy http://127.0.0.1:{proxy.Port}/"), string.Join("\n", logger.Lines));
            Assert.That(logger.Lines, Has.None.Contains(Password));
        });
    }

    [Test]
    public async Task Percent_encoded_user_info_is_decoded_after_splitting()
    {
        // Go's url.UserPassword: a ':' or '@' in the user or the password is percent-encoded in the URL.
        await using var tls = new TlsApi(Name);
        await using var proxy = new AuthenticatingProxy("dom:ain", "p@ss:word");
        string kubeconfig = WriteKubeconfig(tls, ProxyUrl(proxy, "dom%3Aain:p%40ss%3Aword"));
        await using var discovery = new KubernetesDiscovery(Reader(kubeconfig, _ => null, tls.Dir.Path), _ => Task.CompletedTask, NullLogger.Instance, TimeProvider.System);

        var (listed, _) = await discovery.ListOnceAsync(CancellationToken.None);

        Assert.That(listed, Is.EqualTo(1));
    }

    [TestCase(null, TestName = "No user-info in proxy-url: 407, named proxy")]
    [TestCase("falco:wr0ng-s3cret", TestName = "A wrong password in proxy-url: 407, named proxy, the password nowhere")]
    public async Task A_proxy_that_refuses_is_named_with_its_407_and_never_with_the_password(string? userInfo)
    {
        await using var tls = new TlsApi(Name);
        await using var proxy = new AuthenticatingProxy(User, Password);
        string kubeconfig = WriteKubeconfig(tls, ProxyUrl(proxy, userInfo));
        var logger = new RecordingLogger();
        string shown = $"http://127.0.0.1:{proxy.Port}/";

        await using (var discovery = new KubernetesDiscovery(Reader(kubeconfig, _ => null, tls.Dir.Path), _ => Task.CompletedTask, NullLogger.Instance, TimeProvider.System))
        {
            var e = Assert.CatchAsync(() => discovery.ListOnceAsync(CancellationToken.None));
            string reason = KubernetesDiscovery.Describe(e!);
            Assert.That(reason, Is.EqualTo($"the proxy {shown} answered 407 ProxyAuthenticationRequired"));
            Assert.That(reason + e, Does.Not.Contain("wr0ng-s3cret"));
        }

        await using var run = new DiscoveryRun(apply => new KubernetesDiscovery(Reader(kubeconfig, _ => null, tls.Dir.Path), apply, logger, TimeProvider.System)
        {
            MaxBackoff = TimeSpan.FromMilliseconds(200),
        });
        await Eventually.WaitAsync(() => run.Discovery.Report.Message.Contains("407", StringComparison.Ordinal), "the 407 is reported");

        Assert.Multiple(() =>
        {
            Assert.That(run.Discovery.Report.Message, Does.Contain(shown), run.Discovery.Report.Message);
            Assert.That(logger.Lines, Has.Some.Contains("407").And.Some.Contains(shown), string.Join("\n", logger.Lines));
            Assert.That(logger.Lines, Has.None.Contains("wr0ng-s3cret"), string.Join("\n", logger.Lines));
            Assert.That(run.Discovery.Report.Message, Does.Not.Contain("wr0ng-s3cret"));
            Assert.That(proxy.Passed, Is.Empty);
            Assert.That(tls.Api.Requests, Is.Empty, "nothing reached the API");
        });
    }

    [Test]
    public async Task A_plain_http_API_behind_a_refusing_proxy_names_the_proxy_not_the_API()
    {
        // An http:// server goes to the proxy as an absolute-form request; the 407 is then an HTTP answer, from the proxy.
        using var dir = new TempDir();
        await using var proxy = new AuthenticatingProxy(User, Password);
        string kubeconfig = dir.Write("kubeconfig", Kubeconfig("http://kube.example:6443", $"    proxy-url: {ProxyUrl(proxy, "falco:wr0ng-s3cret")}", "    token: t0ken"));
        await using var discovery = new KubernetesDiscovery(Reader(kubeconfig, _ => null, dir.Path), _ => Task.CompletedTask, NullLogger.Instance, TimeProvider.System);

        var e = Assert.CatchAsync(() => discovery.ListOnceAsync(CancellationToken.None));

        Assert.That(KubernetesDiscovery.Describe(e!), Is.EqualTo($"the proxy http://127.0.0.1:{proxy.Port}/ answered 407 ProxyAuthenticationRequired"));
        Assert.That(proxy.Refused, Has.Member("GET http://kube.example:6443/api/v1/pods?fieldSelector=spec.nodeName%3Dnode-1&watch=false HTTP/1.1"));
    }

    [Test]
    public async Task In_cluster_honours_HTTPS_PROXY_with_its_credentials_from_the_environment()
    {
        await using var tls = new TlsApi(Name);
        await using var proxy = new AuthenticatingProxy(User, Password);
        string serviceAccount = tls.ServiceAccount("sa-token");
        string? Env(string name) => name switch
        {
            "KUBERNETES_SERVICE_HOST" => Name,
            "KUBERNETES_SERVICE_PORT" => tls.TlsPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "HTTPS_PROXY" => ProxyUrl(proxy, $"{User}:{Password}"),
            "NO_PROXY" => "10.0.0.0/8,.cluster.local",
            _ => null,
        };
        await using var discovery = new KubernetesDiscovery(Reader(null, Env, tls.Dir.Path), _ => Task.CompletedTask, NullLogger.Instance, TimeProvider.System, serviceAccount);

        var (listed, _) = await discovery.ListOnceAsync(CancellationToken.None);

        Assert.That(listed, Is.EqualTo(1));
        Assert.That(proxy.Passed, Is.EqualTo(new[] { $"CONNECT {Name}:{tls.TlsPort} HTTP/1.1" }));
        Assert.That(discovery.Proxy, Is.EqualTo($"http://127.0.0.1:{proxy.Port}/"));
    }

    private static IEnumerable<TestCaseData> Routes()
    {
        TestCaseData Case(string server, string? proxyUrl, string expected, string name, params string[] env) =>
            new TestCaseData(server, proxyUrl, env, expected).SetName(name);

        const string P = "http://proxy:3128/";
        yield return Case("https://10.96.0.1:443/", null, P, "HTTPS_PROXY for an https API", "HTTPS_PROXY=http://proxy:3128");
        yield return Case("https://10.96.0.1:443/", null, P, "https_proxy (lower case)", "https_proxy=http://proxy:3128");
        yield return Case("https://10.96.0.1:443/", null, P, "HTTPS_PROXY wins over https_proxy", "HTTPS_PROXY=http://proxy:3128", "https_proxy=http://other:1");
        yield return Case("https://10.96.0.1:443/", null, P, "a proxy without a scheme is http", "HTTPS_PROXY=proxy:3128");
        yield return Case("https://10.96.0.1:443/", null, "direct", "only HTTP_PROXY: an https API is reached directly (no fallback in Go)", "HTTP_PROXY=http://proxy:3128");
        yield return Case("http://10.96.0.1:8080/", null, P, "HTTP_PROXY for an http API", "HTTP_PROXY=http://proxy:3128", "HTTPS_PROXY=http://other:1");
        yield return Case("https://10.96.0.1:443/", null, "direct", "NO_PROXY CIDR", "HTTPS_PROXY=http://proxy:3128", "NO_PROXY=192.168.0.0/16, 10.96.0.0/12");
        yield return Case("https://10.96.0.1:443/", null, "direct", "NO_PROXY IP", "HTTPS_PROXY=http://proxy:3128", "NO_PROXY=10.96.0.1");
        yield return Case("https://10.96.0.1/", null, "direct", "NO_PROXY IP with the default port", "HTTPS_PROXY=http://proxy:3128", "no_proxy=10.96.0.1:443");
        yield return Case("https://10.96.0.1:443/", null, P, "NO_PROXY IP with another port", "HTTPS_PROXY=http://proxy:3128", "NO_PROXY=10.96.0.1:6443");
        yield return Case("https://10.96.0.1:443/", null, "direct", "NO_PROXY *", "HTTPS_PROXY=http://proxy:3128", "NO_PROXY=*");
        yield return Case("https://api.example.com:6443/", null, "direct", "NO_PROXY domain matches subdomains", "HTTPS_PROXY=http://proxy:3128", "NO_PROXY=example.com");
        yield return Case("https://example.com:6443/", null, "direct", "NO_PROXY domain matches itself", "HTTPS_PROXY=http://proxy:3128", "NO_PROXY=EXAMPLE.com");
        yield return Case("https://api.example.com:6443/", null, "direct", "NO_PROXY .domain matches subdomains", "HTTPS_PROXY=http://proxy:3128", "NO_PROXY=.example.com");
        yield return Case("https://api.example.com:6443/", null, "direct", "NO_PROXY *.domain", "HTTPS_PROXY=http://proxy:3128", "NO_PROXY=*.example.com");
        yield return Case("https://example.com:6443/", null, P, "NO_PROXY .domain does not match the domain itself", "HTTPS_PROXY=http://proxy:3128", "NO_PROXY=.example.com");
        yield return Case("https://api.example.com:6443/", null, P, "NO_PROXY matches whole labels only", "HTTPS_PROXY=http://proxy:3128", "NO_PROXY=ample.com");
        yield return Case("https://api.example.com:6443/", null, "direct", "NO_PROXY domain with the port", "HTTPS_PROXY=http://proxy:3128", "NO_PROXY=example.com:6443");
        yield return Case("https://api.example.com:6443/", null, P, "NO_PROXY domain with another port", "HTTPS_PROXY=http://proxy:3128", "NO_PROXY=example.com:443");
        yield return Case("https://[fd00::1]:443/", null, "direct", "NO_PROXY IPv6 CIDR", "HTTPS_PROXY=http://proxy:3128", "NO_PROXY=fd00::/8");
        yield return Case("https://127.0.0.1:6443/", null, "direct", "loopback is never proxied (Go)", "HTTPS_PROXY=http://proxy:3128");
        yield return Case("https://localhost:6443/", null, "direct", "localhost is never proxied (Go)", "HTTPS_PROXY=http://proxy:3128");
        yield return Case("https://10.96.0.1:443/", null, "direct", "the agent's DD_PROXY_HTTPS is not the API's", "DD_PROXY_HTTPS=http://proxy:3128");
        yield return Case("https://10.96.0.1:443/", null, "direct", "nothing set");
        yield return Case("https://127.0.0.1:443/", "http://u:p@proxy:3128", P + " as u", "proxy-url: always, loopback and NO_PROXY too",
            "HTTPS_PROXY=http://other:1", "NO_PROXY=*");
        yield return Case("https://10.96.0.1:443/", null, P + " as u", "HTTPS_PROXY user-info", "HTTPS_PROXY=http://u:p@proxy:3128");
        yield return Case("https://10.96.0.1:443/", "socks5://proxy:1080", "socks5://proxy:1080/", "proxy-url socks5");
    }

    [TestCaseSource(nameof(Routes))]
    public void The_route_to_the_API_follows_client_go(string server, string? proxyUrl, string[] env, string expected)
    {
        var variables = env.Select(e => e.Split('=', 2)).ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);

        OutboundProxy route = KubernetesProxy.For(new Uri(server), proxyUrl is null ? null : new Uri(proxyUrl), name => variables.GetValueOrDefault(name));

        var web = route.Skip ? null : route.For(new Uri(server));
        string shown = web is null ? "direct"
            : web.Address!.ToString() + (web.Credentials is NetworkCredential c ? " as " + c.UserName : string.Empty);
        Assert.That(shown, Is.EqualTo(expected));
    }

    [Test]
    public void A_bad_proxy_variable_is_an_error_naming_it_never_quoting_it()
    {
        var e = Assert.Throws<KubernetesConnectionException>(() =>
            KubernetesProxy.For(new Uri("https://10.96.0.1/"), null, name => name == "HTTPS_PROXY" ? "http://u:s3cret@proxy:port" : null));

        Assert.That(e!.Message, Is.EqualTo("HTTPS_PROXY is not a proxy URL (expected http://host:port, https://host:port or socks5://host:port)"));
    }
}
