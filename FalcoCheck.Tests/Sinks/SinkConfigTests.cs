using FalcoCheck.Configuration;
using FalcoCheck.Sinks.Datadog;
using FalcoCheck.Sinks.Delivery;
using FalcoCheck.Sinks.Otlp;
using FalcoCheck.Tests.Configuration;
using static FalcoCheck.Tests.Configuration.ConfigTestSupport;

namespace FalcoCheck.Tests.Sinks;

/// <summary>The metrics sinks' settings in falcocheck.yaml: values, inheritance from the agent, every error with its place, secrets.</summary>
internal sealed class SinkConfigTests
{
    private static IEnumerable<TestCaseData> Errors()
    {
        yield return Case("datadog without a key", "sinks:\n  - type: datadog\n",
            "falcocheck.yaml:2:5: sinks[0].api_key: required when sending to a Datadog site: set api_key here, api_key in the agent file, or DD_API_KEY");
        yield return Case("datadog site and url", "sinks:\n  - type: datadog\n    site: datadoghq.eu\n    url: http://vm:8428/datadog\n",
            "falcocheck.yaml:3:11: sinks[0].site: site and url both say where to send; use one of them");
        yield return Case("datadog site with scheme", "api_key: k\nsinks:\n  - type: datadog\n    site: https://datadoghq.eu\n",
            "falcocheck.yaml:4:11: sinks[0].site: expected a Datadog site such as datadoghq.com or datadoghq.eu, without https:// or a path");
        yield return Case("datadog api_version", "sinks:\n  - type: datadog\n    url: http://vm/datadog\n    api_version: v3\n",
            "falcocheck.yaml:4:18: sinks[0].api_version: expected one of v2, v1, got 'v3'; did you mean 'v2'?");
        yield return Case("datadog zstd with v1", "sinks:\n  - type: datadog\n    url: http://vm/datadog\n    api_version: v1\n    compression: zstd\n",
            "falcocheck.yaml:5:18: sinks[0].compression: zstd is accepted by the v2 series intake only; use gzip or deflate with api_version v1");
        yield return Case("datadog misspelt key", "sinks:\n  - type: datadog\n    url: http://vm/datadog\n    apikey: x\n",
            "falcocheck.yaml:4:5: sinks[0].apikey: unknown setting 'apikey'; did you mean 'api_key'?");
        yield return Case("dogstatsd bad address", "sinks:\n  - type: dogstatsd\n    address: 127.0.0.1:8125\n",
            "falcocheck.yaml:3:14: sinks[0].address: expected udp://HOST:PORT (such as udp://127.0.0.1:8125) or unix:///PATH (such as unix:///var/run/datadog/dsd.socket)");
        yield return Case("dogstatsd relative socket", "sinks:\n  - type: dogstatsd\n    address: unix://dsd.socket\n",
            "falcocheck.yaml:3:14: sinks[0].address: expected udp://HOST:PORT (such as udp://127.0.0.1:8125) or unix:///PATH (such as unix:///var/run/datadog/dsd.socket); the socket path must be absolute and at most 107 bytes");
        yield return Case("dogstatsd packet too large", "sinks:\n  - type: dogstatsd\n    max_packet_size: 70000\n",
            "falcocheck.yaml:3:22: sinks[0].max_packet_size: must be between 64 and 65507, got 70000");
        yield return Case("remote write without url", "sinks:\n  - type: prometheus_remote_write\n",
            "falcocheck.yaml:2:5: sinks[0].url: required setting is missing");
        yield return Case("remote write ftp url", "sinks:\n  - type: prometheus_remote_write\n    url: ftp://x/\n",
            "falcocheck.yaml:3:10: sinks[0].url: expected a URL with scheme http, https, got scheme 'ftp'");
        yield return Case("remote write password without user", "sinks:\n  - type: prometheus_remote_write\n    url: http://p:9090/api/v1/write\n    password: s3cret\n",
            "falcocheck.yaml:4:15: sinks[0].password: username is required when password is set");
        yield return Case("remote write two auths", "sinks:\n  - type: prometheus_remote_write\n    url: http://p/\n    username: u\n    password: p\n    bearer_token: t\n",
            "falcocheck.yaml:6:19: sinks[0].bearer_token: bearer_token and password both set the Authorization header; use one of them");
        yield return Case("otlp temporality", "sinks:\n  - type: otlp\n    url: http://c:4318/v1/metrics\n    temporality: deltas\n",
            "falcocheck.yaml:4:18: sinks[0].temporality: expected one of cumulative, delta, got 'deltas'; did you mean 'delta'?");
        yield return Case("otlp zstd", "sinks:\n  - type: otlp\n    url: http://c:4318/v1/metrics\n    compression: zstd\n",
            "falcocheck.yaml:4:18: sinks[0].compression: expected one of none, gzip, got 'zstd'");
        yield return Case("queue_size zero", "sinks:\n  - type: otlp\n    url: http://c/\n    queue_size: 0\n",
            "falcocheck.yaml:4:17: sinks[0].queue_size: must be between 1 and 10000000, got 0");
        yield return Case("spool size negative", "sinks:\n  - type: prometheus_remote_write\n    url: http://p/\n    spool_max_size: -1\n",
            "falcocheck.yaml:4:21: sinks[0].spool_max_size: must be between 0 and 1099511627776, got -1");
        yield return Case("dogstatsd spool size too large", "sinks:\n  - type: dogstatsd\n    spool_max_size: 2000000000000\n",
            "falcocheck.yaml:3:21: sinks[0].spool_max_size: must be between 0 and 1099511627776, got 2000000000000");
        yield return Case("backoffs reversed", "sinks:\n  - type: otlp\n    url: http://c/\n    retry_initial_backoff: 10\n    retry_max_backoff: 1\n",
            "falcocheck.yaml:4:28: sinks[0].retry_initial_backoff: 10 s is longer than retry_max_backoff (1 s, at falcocheck.yaml:5:24)");
    }

    [TestCaseSource(nameof(Errors))]
    public void Reports_the_place_and_the_problem(string yaml, string expected)
    {
        using var dir = new TempDir();
        string path = dir.Write("falcocheck.yaml", yaml);

        var e = Assert.Throws<ConfigException>(() => ConfigLoader.LoadAgent(path, NoEnv));

        Assert.That(Render(e!.Errors, dir), Is.EqualTo(new[] { expected }));
        Assert.That(e.Message, Does.Not.Contain("s3cret"));
    }

    [Test]
    public void Reads_every_setting_and_inherits_the_agents_key_and_site()
    {
        using var dir = new TempDir();
        string path = dir.Write("falcocheck.yaml", """
            site: datadoghq.eu
            sinks:
              - type: datadog
                api_version: v1
                compression: deflate
                send_service_checks: false
                timeout: 3
                max_retries: 2
                retry_initial_backoff: 0.5
                retry_max_backoff: 4
                queue_size: 100
                flush_timeout: 7
                spool_max_size: 0
              - type: dogstatsd
                address: unix:///var/run/datadog/dsd.socket
              - type: prometheus_remote_write
                url: https://user:pw@mimir:9009/api/v1/push?x=1
                username: falco
                password: "%%env_RW_PASSWORD%%"
                tls_verify: false
              - type: otlp
                url: http://collector:4318/v1/metrics
                bearer_token: tok
                temporality: delta
                service_name: falco-eu
            """);

        var agent = ConfigLoader.LoadAgent(path, Env(("DD_API_KEY", "from-env"), ("RW_PASSWORD", "s3cret")));

        var datadog = ((DatadogSinkConfig)agent.Sinks[0]).Options;
        Assert.Multiple(() =>
        {
            Assert.That(datadog.Endpoint.Url, Is.EqualTo(new Uri("https://api.datadoghq.eu")));
            Assert.That(datadog.ApiKey!.Reveal(), Is.EqualTo("from-env"));
            Assert.That(datadog.ApiVersion, Is.EqualTo(DatadogApiVersion.V1));
            Assert.That(datadog.Compression, Is.EqualTo(Compression.Deflate));
            Assert.That(datadog.SendServiceChecks, Is.False);
            Assert.That(datadog.Delivery, Is.EqualTo(new DeliveryOptions
            {
                Timeout = TimeSpan.FromSeconds(3), MaxRetries = 2, RetryInitialBackoff = TimeSpan.FromSeconds(0.5),
                RetryMaxBackoff = TimeSpan.FromSeconds(4), QueueSize = 100, FlushTimeout = TimeSpan.FromSeconds(7), SpoolMaxBytes = 0,
            }));
            var dsd = ((DogStatsDSinkConfig)agent.Sinks[1]).Options;
            Assert.That((dsd.SocketPath, dsd.MaxPacketSize), Is.EqualTo(("/var/run/datadog/dsd.socket", 8192)));
            var rw = ((RemoteWriteSinkConfig)agent.Sinks[2]).Options.Endpoint;
            Assert.That(rw.DisplayName, Is.EqualTo("https://mimir:9009/api/v1/push"), "no user-info, no query");
            Assert.That(rw.Password!.Reveal(), Is.EqualTo("s3cret"));
            Assert.That(rw.TlsVerify, Is.False);
            var otlp = ((OtlpSinkConfig)agent.Sinks[3]).Options;
            Assert.That((otlp.Temporality, otlp.ServiceName), Is.EqualTo((OtlpTemporality.Delta, "falco-eu")));
            Assert.That(otlp.Endpoint.BearerToken!.Reveal(), Is.EqualTo("tok"));
        });
        string printed = string.Join("\n", agent.Sinks.Select(s => s.ToString()));
        Assert.That(printed, Does.Not.Contain("s3cret").And.Not.Contain("from-env").And.Not.Contain("tok,").And.Contain("********"));
    }

    [Test]
    public void Dogstatsd_defaults_to_the_agents_udp_port()
    {
        using var dir = new TempDir();
        string path = dir.Write("falcocheck.yaml", "sinks:\n  - type: dogstatsd\n");

        var options = ((DogStatsDSinkConfig)ConfigLoader.LoadAgent(path, NoEnv).Sinks[0]).Options;

        Assert.That(options.Address, Is.EqualTo("udp://127.0.0.1:8125"));
        Assert.That(options.MaxPacketSize, Is.EqualTo(1432));
    }

    private static TestCaseData Case(string name, string yaml, string expected) => new TestCaseData(yaml, expected).SetName(name);
}
