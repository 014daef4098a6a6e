using System.Text;
using System.Text.Json.Nodes;
using FalcoCheck.Configuration;
using FalcoCheck.Discovery;
using FalcoCheck.Runtime;
using FalcoCheck.Tests.Configuration;
using FalcoCheck.Tests.Runtime;
using FalcoCheck.Tests.Support;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace FalcoCheck.Tests.Discovery;

/// <summary>
/// How discovery reaches the API: in-cluster (service account token, CA and KUBERNETES_SERVICE_* from the injected
/// environment) and kubeconfig variants, over TLS to the stand-in API with a throwaway CA; the token rotating; and
/// credentials reaching the API but never a log line, an error or the status.
/// </summary>
public class KubernetesConnectionTests
{
    private const string PodEndpoint = "http://10.0.1.1:8765/metrics";

    /// <summary>The stand-in API with one Falco pod on node-1, served over TLS with a certificate from a throwaway CA.</summary>
    internal sealed class TlsApi : IAsyncDisposable
    {
        public TlsApi(string? serverDnsName = null, bool intermediate = false)
        {
            Certificates = new TestCertificates(serverDnsName, intermediate);
            Api.HostAlias = serverDnsName;
            Api.Add(FalcoPods.Chart("falco-a", "node-1", "10.0.1.1", 8765));
            TlsPort = Api.ServeTls(Certificates.Server, Certificates.Intermediates);
        }

        public StandInKubernetesApi Api { get; } = new();

        public TestCertificates Certificates { get; }

        public TempDir Dir { get; } = new();

        public int TlsPort { get; }

        public string Server => $"https://127.0.0.1:{TlsPort}";

        /// <summary>A service account mount as the kubelet makes it: token, ca.crt, namespace.</summary>
        public string ServiceAccount(string token)
        {
            string folder = Path.Combine(Dir.Path, "serviceaccount");
            Directory.CreateDirectory(folder);
            File.Copy(Certificates.CaPath, Path.Combine(folder, "ca.crt"), overwrite: true);
            File.WriteAllText(Path.Combine(folder, "token"), token);
            File.WriteAllText(Path.Combine(folder, "namespace"), "falco");
            return folder;
        }

        public Func<string, string?> InClusterEnv => name => name switch
        {
            "KUBERNETES_SERVICE_HOST" => "127.0.0.1",
            "KUBERNETES_SERVICE_PORT" => TlsPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            _ => null,
        };

        public async ValueTask DisposeAsync()
        {
            await Api.DisposeAsync();
            Certificates.Dispose();
            Dir.Dispose();
        }
    }

    internal static PodInstances Reader(string? kubeconfig, Func<string, string?> env, string dir) =>
        new(new KubernetesConfig { Enabled = true, Kubeconfig = kubeconfig, NodeName = "node-1", ClusterName = "test" }, "auto_conf.yaml", PodInstances.DefaultAutoConf, env, dir);

    private static DiscoveryRun InCluster(TlsApi tls, string serviceAccount, TimeProvider clock, ILogger? logger = null) =>
        new(apply => new KubernetesDiscovery(Reader(null, tls.InClusterEnv, tls.Dir.Path), apply, logger ?? NullLogger.Instance, clock, serviceAccount)
        {
            MaxBackoff = TimeSpan.FromMilliseconds(200),
        });

    private static DiscoveryRun WithKubeconfig(string kubeconfig, string dir, ILogger? logger = null) =>
        new(apply => new KubernetesDiscovery(Reader(kubeconfig, _ => null, dir), apply, logger ?? NullLogger.Instance, TimeProvider.System)
        {
            MaxBackoff = TimeSpan.FromMilliseconds(200),
        });

    /// <summary>The text of <c>falcocheck status</c> with only the Kubernetes block.</summary>
    internal static string StatusOf(DiscoveryReport report)
    {
        var status = new StringWriter();
        var now = DateTimeOffset.UtcNow;
        StatusText.Write(new StatusReport
        {
            Version = "test", Pid = 1, StartedAt = now, Now = now, AgentConfig = "a", CheckConfig = "c", ConfigErrors = [], Instances = [], Sinks = [],
            Kubernetes = report,
        }, status);
        return status.ToString();
    }

    internal static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    internal static string Kubeconfig(string server, string cluster, string user) => $"""
        apiVersion: v1
        kind: Config
        preferences: {"{}"}
        clusters:
        - name: other
          cluster:
            server: https://192.0.2.1:6443
        - name: test
          cluster:
            server: {server}
        {cluster}
        contexts:
        - name: test
          context:
            cluster: test
            user: falcocheck
            namespace: falco
        current-context: test
        users:
        - name: someone-else
          user:
            exec:
              command: not-for-us
        - name: falcocheck
          user:
        {user}
        """;

    [Test]
    public async Task In_cluster_uses_the_service_account_token_and_CA_over_TLS()
    {
        await using var tls = new TlsApi();
        string serviceAccount = tls.ServiceAccount("sa-token-1\n");
        await using var run = InCluster(tls, serviceAccount, TimeProvider.System);

        await run.WaitForAsync(PodEndpoint);
        Assert.That(run.Discovery.Api, Is.EqualTo(tls.Server), "https://KUBERNETES_SERVICE_HOST:KUBERNETES_SERVICE_PORT");
        Assert.That(tls.Api.LastAuthorization, Is.EqualTo("Bearer sa-token-1"), "the token file's content, trimmed");
        Assert.That(tls.Api.Requests[0], Does.StartWith("/api/v1/pods?fieldSelector=spec.nodeName%3Dnode-1"));
        Assert.That(run.Discovery.Report.Up, Is.True);
    }

    [Test]
    public async Task In_cluster_refuses_a_server_whose_certificate_the_CA_did_not_sign()
    {
        await using var tls = new TlsApi();
        string serviceAccount = tls.ServiceAccount("sa-token-1");
        using var stranger = new TestCertificates();
        File.Copy(stranger.CaPath, Path.Combine(serviceAccount, "ca.crt"), overwrite: true);
        await using var run = InCluster(tls, serviceAccount, TimeProvider.System);

        await Eventually.WaitAsync(() => run.Discovery.Report.Message.Contains("cannot reach the API", StringComparison.Ordinal), "the TLS failure is reported");
        Assert.That(run.Discovery.Report.Up, Is.False);
        Assert.That(run.Discovery.Report.Message, Does.Contain("SSL"), run.Discovery.Report.Message);
        Assert.That(tls.Api.Requests, Is.Empty, "nothing was sent to an untrusted server");
    }

    [Test]
    public void In_cluster_without_the_environment_or_the_token_is_a_clear_error()
    {
        using var dir = new TempDir();
        var reader = Reader(null, _ => null, dir.Path);
        var e = Assert.Throws<KubernetesConnectionException>(() => _ = new KubernetesDiscovery(reader, _ => Task.CompletedTask, NullLogger.Instance, TimeProvider.System, dir.Path));
        Assert.That(e!.Message, Does.StartWith("not running in a Kubernetes pod (KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be set)"));

        File.Copy(Path.Combine(RepoPaths.Root, "FalcoCheck.sln"), Path.Combine(dir.Path, "ca.crt"));
        var env = new Func<string, string?>(n => n == "KUBERNETES_SERVICE_HOST" ? "10.96.0.1" : n == "KUBERNETES_SERVICE_PORT" ? "443" : null);
        e = Assert.Throws<KubernetesConnectionException>(() => _ = new KubernetesDiscovery(Reader(null, env, dir.Path), _ => Task.CompletedTask, NullLogger.Instance, TimeProvider.System, dir.Path));
        Assert.That(e!.Message, Does.StartWith($"the service account CA {Path.Combine(dir.Path, "ca.crt")} holds no PEM certificate"));
    }

    [Test]
    public async Task A_rotated_token_is_read_again_after_a_minute()
    {
        await using var tls = new TlsApi();
        string serviceAccount = tls.ServiceAccount("sa-token-1");
        tls.Api.RequiredAuthorization = "Bearer sa-token-1";
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var run = InCluster(tls, serviceAccount, clock);
        await run.WaitForAsync(PodEndpoint);
        await Eventually.WaitAsync(() => tls.Api.OpenWatches == 1, "a watch is open");

        // The kubelet rotates the token and the API stops taking the old one. Within the minute the cached token is
        // still used (and refused); after it the file is read again.
        File.WriteAllText(Path.Combine(serviceAccount, "token"), "sa-token-2");
        tls.Api.RequiredAuthorization = "Bearer sa-token-2";
        tls.Api.SetQuietly(FalcoPods.Chart("falco-b", "node-1", "10.0.1.2", 8765));
        tls.Api.DropWatches();
        await Eventually.WaitAsync(() => run.Discovery.Report.Message.Contains("401", StringComparison.Ordinal), "the old token is refused");
        Assert.That(tls.Api.Authorizations, Has.No.Member("Bearer sa-token-2"), "not read again within the minute");

        for (int i = 0; i < 50 && run.Endpoints.Length < 2; i++)
        {
            clock.Advance(TimeSpan.FromSeconds(61));
            await Task.Delay(100);
        }

        await run.WaitForAsync(PodEndpoint, "http://10.0.1.2:8765/metrics");
        Assert.That(tls.Api.LastAuthorization, Is.EqualTo("Bearer sa-token-2"));
        Assert.That(run.Discovery.Report.Up, Is.True);
    }

    [Test]
    public async Task Kubeconfig_with_CA_data_and_client_certificate_data()
    {
        await using var tls = new TlsApi();
        string kubeconfig = tls.Dir.Write("kubeconfig", Kubeconfig(tls.Server,
            $"    certificate-authority-data: {Base64(File.ReadAllText(tls.Certificates.CaPath))}",
            $"""
                client-certificate-data: {Base64(File.ReadAllText(tls.Certificates.ClientCertPath))}
                client-key-data: {Base64(File.ReadAllText(tls.Certificates.ClientKeyPath))}
            """));
        await using var run = WithKubeconfig(kubeconfig, tls.Dir.Path);

        await run.WaitForAsync(PodEndpoint);
        Assert.That(tls.Api.ClientCertificateSubject, Is.EqualTo("CN=falcocheck-client"), "the client certificate was presented");
        Assert.That(tls.Api.LastAuthorization, Is.Null, "no token: the certificate is the identity");
    }

    [Test]
    public async Task Kubeconfig_with_CA_file_and_token_file_relative_to_the_kubeconfig()
    {
        await using var tls = new TlsApi();
        File.Copy(tls.Certificates.CaPath, Path.Combine(tls.Dir.Path, "cluster-ca.pem"));
        tls.Dir.Write("secrets/token", "file-token\n");
        string kubeconfig = tls.Dir.Write("kubeconfig", Kubeconfig(tls.Server,
            "    certificate-authority: cluster-ca.pem",
            "    tokenFile: secrets/token\n    token: inline-token-loses"));
        await using var run = WithKubeconfig(kubeconfig, "/");

        await run.WaitForAsync(PodEndpoint);
        Assert.That(tls.Api.LastAuthorization, Is.EqualTo("Bearer file-token"), "tokenFile wins over token, as in client-go");
    }

    [Test]
    public async Task Kubeconfig_tls_server_name_is_the_name_the_certificate_is_checked_against()
    {
        // The API is dialled at 127.0.0.1, but its certificate names only kube-api.test: as client-go, the
        // cluster's tls-server-name is what the certificate must carry; without it the name does not match.
        const string Token = "named-api-token";
        await using var tls = new TlsApi("kube-api.test");
        string ca = $"    certificate-authority-data: {Base64(File.ReadAllText(tls.Certificates.CaPath))}";
        string named = tls.Dir.Write("named", Kubeconfig(tls.Server, ca + "\n    tls-server-name: kube-api.test", $"    token: {Token}"));
        string plain = tls.Dir.Write("plain", Kubeconfig(tls.Server, ca, $"    token: {Token}"));
        string other = tls.Dir.Write("other", Kubeconfig(tls.Server, ca + "\n    tls-server-name: elsewhere.test", $"    token: {Token}"));

        await using (var run = WithKubeconfig(plain, tls.Dir.Path))
        {
            await Eventually.WaitAsync(() => run.Discovery.Report.Message.Contains("cannot reach the API", StringComparison.Ordinal), "the name mismatch is reported");
            Assert.That(run.Discovery.Report.Message, Does.Contain("SSL"), run.Discovery.Report.Message);
        }

        await using (var run = WithKubeconfig(other, tls.Dir.Path))
        {
            await Eventually.WaitAsync(() => run.Discovery.Report.Message.Contains("cannot reach the API", StringComparison.Ordinal), "a wrong tls-server-name is refused");
        }

        Assert.That(tls.Api.Requests, Is.Empty, "nothing was sent while the name did not match");
        await using (var run = WithKubeconfig(named, tls.Dir.Path))
        {
            await run.WaitForAsync(PodEndpoint);
            Assert.That(tls.Api.LastAuthorization, Is.EqualTo($"Bearer {Token}"));
        }
    }

    [Test]
    public async Task Kubeconfig_with_insecure_skip_tls_verify_and_basic_auth()
    {
        await using var tls = new TlsApi();
        string kubeconfig = tls.Dir.Write("kubeconfig", Kubeconfig(tls.Server,
            "    insecure-skip-tls-verify: true",
            "    username: falco\n    password: \"p@ss:word\""));
        await using var run = WithKubeconfig(kubeconfig, tls.Dir.Path);

        await run.WaitForAsync(PodEndpoint);
        Assert.That(tls.Api.LastAuthorization, Is.EqualTo("Basic " + Base64("falco:p@ss:word")));
    }

    [Test]
    public async Task Kubeconfig_proxy_url_carries_the_requests()
    {
        using var dir = new TempDir();
        string podList = new JsonObject
        {
            ["kind"] = "PodList",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject { ["resourceVersion"] = "5" },
            ["items"] = new JsonArray(FalcoPods.Chart("falco-a", "node-1", "10.0.1.1", 8765)),
        }.ToJsonString();
        await using var proxy = new RawHttpServer(Encoding.UTF8.GetBytes(podList));
        string kubeconfig = dir.Write("kubeconfig", Kubeconfig("http://kube.example:6443", $"    proxy-url: http://127.0.0.1:{proxy.Port}", "    token: abc"));
        await using var discovery = new KubernetesDiscovery(Reader(kubeconfig, _ => null, dir.Path), _ => Task.CompletedTask, NullLogger.Instance, TimeProvider.System);

        var (listed, pods) = await discovery.ListOnceAsync(CancellationToken.None);

        Assert.That(listed, Is.EqualTo(1));
        Assert.That(pods.Single().Instances.Single().OpenMetricsEndpoint.ToString(), Is.EqualTo(PodEndpoint));
        Assert.That(proxy.RequestLines, Is.EqualTo(new[] { "GET http://kube.example:6443/api/v1/pods?fieldSelector=spec.nodeName%3Dnode-1&watch=false HTTP/1.1" }));
    }

    private static IEnumerable<TestCaseData> KubeconfigErrors()
    {
        yield return new TestCaseData("    certificate-authority-data: bm90IGEgY2VydA==", "    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: aws",
            "kubeconfig:26:5: users[1].user.exec: user 'falcocheck' gets its credentials from an exec plugin, which FalcoCheck does not run; give FalcoCheck a user with a token, tokenFile or client certificate (for example a ServiceAccount token)")
            .SetName("exec user (checked before anything else of the file)");
        yield return new TestCaseData(string.Empty, "    auth-provider:\n      name: oidc",
            "kubeconfig:26:5: users[1].user.auth-provider: user 'falcocheck' gets its credentials from an auth-provider plugin, which FalcoCheck does not support; give FalcoCheck a user with a token, tokenFile or client certificate (for example a ServiceAccount token)")
            .SetName("auth-provider user");
        yield return new TestCaseData("    certificate-authority-data: \"%%%\"", "    token: abc",
            "kubeconfig:11:33: clusters[1].cluster.certificate-authority-data: expected base64-encoded PEM")
            .SetName("CA data not base64");
        yield return new TestCaseData("    certificate-authority-data: bm90IGEgY2VydA==", "    token: abc",
            "kubeconfig:11:33: clusters[1].cluster.certificate-authority-data: the certificate-authority-data holds no PEM certificate")
            .SetName("CA data not a certificate");
        yield return new TestCaseData("    proxy-url: ftp://u:abc@proxy:21", "    token: t",
            "kubeconfig:11:16: clusters[1].cluster.proxy-url: expected an http, https or socks5 URL such as http://proxy:3128")
            .SetName("proxy-url of a scheme client-go does not take (its password not quoted)");
        yield return new TestCaseData(string.Empty, "    client-certificate: missing.pem\n    client-key: missing.key",
            "kubeconfig:26:25: users[1].user.client-certificate: cannot read ")
            .SetName("client certificate file missing");
        yield return new TestCaseData(string.Empty, "    client-certificate-data: bm90IGEgY2VydA==",
            "kubeconfig:26:5: users[1].user: user 'falcocheck' has a client certificate without its key; both are needed")
            .SetName("client certificate without key");
        yield return new TestCaseData(string.Empty, "    token: abc\n    username: u",
            "kubeconfig:26:5: users[1].user: user 'falcocheck' has both a token and a username/password; keep one (as kubectl requires)")
            .SetName("token and username");
        yield return new TestCaseData(string.Empty, "    tokenFile: no-such-token",
            "kubeconfig:26:16: users[1].user.tokenFile: user 'falcocheck': cannot read the token file ")
            .SetName("token file missing");
    }

    [TestCaseSource(nameof(KubeconfigErrors))]
    public void Kubeconfig_problems_name_the_file_the_place_and_the_user(string cluster, string user, string expected)
    {
        using var dir = new TempDir();
        string kubeconfig = dir.Write("kubeconfig", Kubeconfig("https://127.0.0.1:6443", cluster, user));

        var e = Assert.Throws<KubernetesConnectionException>(() => KubeconfigReader.Read(kubeconfig, TimeProvider.System));

        Assert.That(e!.Message, Does.StartWith(Path.Combine(dir.Path, expected)), File.ReadAllText(kubeconfig));
        // The temporary folder's random name may hold "abc" too.
        Assert.That(e.Message.Replace(dir.Path, string.Empty, StringComparison.Ordinal), Does.Not.Contain("abc"), "no credential in the message");
    }

    [Test]
    public void Kubeconfig_structure_errors_name_what_is_missing()
    {
        using var dir = new TempDir();
        string noContext = dir.Write("a", "apiVersion: v1\nclusters: []\nusers: []\ncontexts: []\n");
        string missingUser = dir.Write("b", "clusters:\n- name: c\n  cluster:\n    server: https://h:6443\ncontexts:\n- name: x\n  context: {cluster: c, user: gone}\ncurrent-context: x\nusers: []\n");
        string badServer = dir.Write("c", "clusters:\n- name: c\n  cluster:\n    server: h:6443/x y\ncontexts:\n- name: x\n  context: {cluster: c}\ncurrent-context: x\n");

        Assert.Multiple(() =>
        {
            Assert.That(Assert.Throws<KubernetesConnectionException>(() => KubeconfigReader.Read(noContext, TimeProvider.System))!.Message,
                Is.EqualTo(noContext + ":1:1: current-context: not set; the kubeconfig must name the context to use"));
            Assert.That(Assert.Throws<KubernetesConnectionException>(() => KubeconfigReader.Read(missingUser, TimeProvider.System))!.Message,
                Is.EqualTo(missingUser + ":9:8: users: no entry named 'gone', which the current context needs"));
            Assert.That(Assert.Throws<KubernetesConnectionException>(() => KubeconfigReader.Read(badServer, TimeProvider.System))!.Message,
                Is.EqualTo(badServer + ":4:13: clusters[0].cluster.server: expected an http or https URL"));
            Assert.That(Assert.Throws<KubernetesConnectionException>(() => KubeconfigReader.Read(dir.Path + "/none", TimeProvider.System))!.Message,
                Does.StartWith($"cannot read the kubeconfig {dir.Path}/none: "));
        });
    }

    [Test]
    public async Task The_bearer_token_reaches_the_API_and_never_a_log_line_an_error_or_the_status()
    {
        const string Token = "eyJhbGciOiJSUzI1NiJ9.s3cr3t-t0ken-v4lue";
        await using var tls = new TlsApi();
        string kubeconfig = tls.Dir.Write("kubeconfig", Kubeconfig(tls.Server,
            $"    certificate-authority: {tls.Certificates.CaPath}", $"    token: {Token}"));
        var logger = new RecordingLogger();
        await using var run = WithKubeconfig(kubeconfig, tls.Dir.Path, logger);
        await run.WaitForAsync(PodEndpoint);
        Assert.That(tls.Api.LastAuthorization, Is.EqualTo("Bearer " + Token), "the token reaches the API");

        // Every failure path: refused (401), down (503), dropped watches, and a resumed watch.
        var reports = new List<string>();
        tls.Api.RequiredAuthorization = "Bearer another";
        tls.Api.DropWatches();
        await Eventually.WaitAsync(() => run.Discovery.Report.Message.Contains("401", StringComparison.Ordinal), "401 reported");
        reports.Add(run.Discovery.Report.Message);
        tls.Api.RequiredAuthorization = null;
        tls.Api.Down = true;
        await Eventually.WaitAsync(() => run.Discovery.Report.Message.Contains("503", StringComparison.Ordinal), "503 reported");
        reports.Add(run.Discovery.Report.Message);
        tls.Api.Down = false;
        await Eventually.WaitAsync(() => run.Discovery.Report.Up, "up again");
        string status = StatusOf(run.Discovery.Report);

        Assert.That(logger.Lines, Has.Some.Contains("401 Unauthorized"), string.Join("\n", logger.Lines));
        Assert.That(logger.Lines, Has.None.Contains("s3cr3t"), string.Join("\n", logger.Lines));
        Assert.That(reports, Has.None.Contains("s3cr3t"));
        Assert.That(status, Does.Contain("Kubernetes " + tls.Server).And.Not.Contain("s3cr3t"));

        // A kubeconfig error beside the token does not quote it either.
        string broken = tls.Dir.Write("broken", Kubeconfig(tls.Server, "    certificate-authority-data: \"!\"", $"    token: {Token}"));
        Assert.That(Assert.Throws<KubernetesConnectionException>(() => KubeconfigReader.Read(broken, TimeProvider.System))!.Message, Does.Not.Contain("s3cr3t"));
    }
}
