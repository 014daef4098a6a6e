using System.Net;
using FalcoCheck.Configuration;
using FalcoCheck.Tests.Configuration;
using static FalcoCheck.Tests.Configuration.ConfigTestSupport;

namespace FalcoCheck.Tests.Alerts;

/// <summary>The <c>alerts:</c> section of falcocheck.yaml: values, defaults, inheritance and every error with its place.</summary>
internal sealed class AlertsConfigTests
{
    [Test]
    public void Reads_every_setting()
    {
        using var dir = new TempDir();
        string path = dir.Write("falcocheck.yaml", """
            state_dir: ./st
            api_key: agent-key
            alerts:
              http:
                listen: 0.0.0.0:2802
                token: "%%env_FALCO_ALERTS_TOKEN%%"
                token_header: X-Falco-Token
                tls_cert: certs/alerts.pem
                tls_key: certs/alerts.key
                max_body_size: 2048
              files: [/var/log/falco/events.json, events.json]
              tags: [team:sec]
              service: falco-prod
              queue_size: 10
              spool_dir: ./spool
              spool_max_size: 1048576
              metrics_interval: 30
              sinks:
                - type: datadog_logs
                  api_key: logs-key
                  site: datadoghq.eu
                  timeout: 5
                - type: datadog_logs
                  url: http://127.0.0.1:9999
                - type: file
                  path: out/alerts.jsonl
                - type: console
            """);

        AgentConfig agent = ConfigLoader.LoadAgent(path, Env(("FALCO_ALERTS_TOKEN", "s3cret")));
        AlertsConfig alerts = agent.Alerts!;

        Assert.Multiple(() =>
        {
            Assert.That(alerts.Http!.Listen, Is.EqualTo(new IPEndPoint(IPAddress.Any, 2802)));
            Assert.That(alerts.Http.Token!.Reveal(), Is.EqualTo("s3cret"));
            Assert.That(alerts.Http.TokenHeader, Is.EqualTo("X-Falco-Token"));
            Assert.That(alerts.Http.TlsCert, Is.EqualTo(System.IO.Path.Combine(dir.Path, "certs", "alerts.pem")));
            Assert.That(alerts.Http.TlsKey, Is.EqualTo(System.IO.Path.Combine(dir.Path, "certs", "alerts.key")));
            Assert.That(alerts.Http.MaxBodyBytes, Is.EqualTo(2048));
            Assert.That(alerts.Files, Is.EqualTo(new[] { "/var/log/falco/events.json", System.IO.Path.Combine(dir.Path, "events.json") }));
            Assert.That(alerts.Tags, Is.EqualTo(new[] { "team:sec" }));
            Assert.That(alerts.Service, Is.EqualTo("falco-prod"));
            Assert.That(alerts.QueueSize, Is.EqualTo(10));
            Assert.That(alerts.SpoolDir, Is.EqualTo(System.IO.Path.Combine(dir.Path, "spool")));
            Assert.That(alerts.SpoolMaxBytes, Is.EqualTo(1048576));
            Assert.That(alerts.FileStateDir, Is.EqualTo(System.IO.Path.Combine(dir.Path, "st", "alerts", "files")));
            Assert.That(alerts.MetricsInterval, Is.EqualTo(TimeSpan.FromSeconds(30)));

            var eu = (DatadogLogsSinkConfig)alerts.Sinks[0];
            Assert.That(eu.ApiKey.Reveal(), Is.EqualTo("logs-key"));
            Assert.That(eu.Url, Is.EqualTo(new Uri("https://http-intake.logs.datadoghq.eu")));
            Assert.That(eu.Timeout, Is.EqualTo(TimeSpan.FromSeconds(5)));
            var local = (DatadogLogsSinkConfig)alerts.Sinks[1];
            Assert.That(local.ApiKey.Reveal(), Is.EqualTo("agent-key"), "inherits the agent's api_key");
            Assert.That(local.Url, Is.EqualTo(new Uri("http://127.0.0.1:9999")));
            Assert.That(((FileSinkConfig)alerts.Sinks[2]).Path, Is.EqualTo(System.IO.Path.Combine(dir.Path, "out", "alerts.jsonl")));
            Assert.That(alerts.Sinks[3], Is.InstanceOf<ConsoleSinkConfig>());
            Assert.That(alerts.ToString(), Does.Not.Contain("s3cret"));
        });
    }

    [Test]
    public void Defaults_follow_the_agent()
    {
        using var dir = new TempDir();
        string path = dir.Write("falcocheck.yaml", "site: datadoghq.eu\nalerts:\n  http:\n  sinks:\n    - type: datadog_logs\n");

        AgentConfig agent = ConfigLoader.LoadAgent(path, Env(("DD_API_KEY", "env-key")));
        AlertsConfig alerts = agent.Alerts!;

        Assert.Multiple(() =>
        {
            Assert.That(alerts.Http!.Listen, Is.EqualTo(new IPEndPoint(IPAddress.Loopback, 2801)), "loopback by default");
            Assert.That(alerts.Http.Token, Is.Null);
            Assert.That(alerts.Http.MaxBodyBytes, Is.EqualTo(1024 * 1024));
            Assert.That(alerts.Files, Is.Empty);
            Assert.That(alerts.SpoolDir, Is.EqualTo(System.IO.Path.Combine(dir.Path, "state", "alerts", "spool")));
            var sink = (DatadogLogsSinkConfig)alerts.Sinks.Single();
            Assert.That(sink.ApiKey.Reveal(), Is.EqualTo("env-key"), "DD_API_KEY, as for the metrics");
            Assert.That(sink.Url, Is.EqualTo(new Uri("https://http-intake.logs.datadoghq.eu")));
        });
    }

    [Test]
    public void No_section_means_no_alerts_and_an_empty_one_means_defaults()
    {
        using var dir = new TempDir();
        Assert.That(ConfigLoader.LoadAgent(dir.Write("a.yaml", "hostname: x\n"), NoEnv).Alerts, Is.Null);

        AlertsConfig alerts = ConfigLoader.LoadAgent(dir.Write("b.yaml", "alerts:\n"), NoEnv).Alerts!;
        Assert.That(alerts.Http, Is.Null, "no port is opened unless http: is there");
        Assert.That(alerts.Sinks.Single(), Is.InstanceOf<ConsoleSinkConfig>());
    }

    private static IEnumerable<TestCaseData> Errors()
    {
        yield return Case("unknown key suggests", "alerts:\n  file: [x]\n", "falcocheck.yaml:2:3: alerts.file: unknown setting 'file'; did you mean 'files'?");
        yield return Case("section a list", "alerts: [x]\n", "falcocheck.yaml:1:9: alerts: expected a mapping of alert settings, got a list");
        yield return Case("listen without port", "alerts:\n  http:\n    listen: 127.0.0.1\n",
            "falcocheck.yaml:3:13: alerts.http.listen: expected an IP address and port such as 127.0.0.1:2801 or [::1]:2801 (port 0 picks a free port), got '127.0.0.1'");
        yield return Case("listen a host name", "alerts:\n  http:\n    listen: falco.local:2801\n",
            "falcocheck.yaml:3:13: alerts.http.listen: expected an IP address and port such as 127.0.0.1:2801 or [::1]:2801 (port 0 picks a free port), got 'falco.local:2801'");
        yield return Case("http unknown key", "alerts:\n  http:\n    tokn: x\n", "falcocheck.yaml:3:5: alerts.http.tokn: unknown setting 'tokn'; did you mean 'token'?");
        yield return Case("tls_key alone", "alerts:\n  http:\n    tls_key: k.pem\n", "falcocheck.yaml:3:14: alerts.http.tls_key: tls_cert is required when tls_key is set");
        yield return Case("body limit too small", "alerts:\n  http:\n    max_body_size: 10\n",
            "falcocheck.yaml:3:20: alerts.http.max_body_size: must be between 1024 and 67108864, got 10");
        yield return Case("sink type unknown", "alerts:\n  sinks:\n    - type: datadog\n",
            "falcocheck.yaml:3:13: alerts.sinks[0].type: unknown log sink type 'datadog'; expected one of datadog_logs, file, console, alertmanager, webhook, syslog, nats, loki, otlp_logs; did you mean 'datadog_logs'?");
        yield return Case("datadog without a key", "alerts:\n  sinks:\n    - type: datadog_logs\n",
            "falcocheck.yaml:3:7: alerts.sinks[0].api_key: an API key is required: set api_key here, api_key at the top of the file, or DD_API_KEY");
        yield return Case("datadog url not http", "api_key: k\nalerts:\n  sinks:\n    - type: datadog_logs\n      url: ftp://x\n",
            "falcocheck.yaml:5:12: alerts.sinks[0].url: expected a URL with scheme https, http, got scheme 'ftp'");
        yield return Case("file sink without path", "alerts:\n  sinks:\n    - type: file\n", "falcocheck.yaml:3:7: alerts.sinks[0].path: required setting is missing");
        yield return Case("sinks empty", "alerts:\n  sinks: []\n",
            "falcocheck.yaml:2:10: alerts.sinks: at least one sink is required (known types: datadog_logs, file, console, alertmanager, webhook, syslog, nats, loki, otlp_logs)");
        yield return Case("queue_size zero", "alerts:\n  queue_size: 0\n", "falcocheck.yaml:2:15: alerts.queue_size: must be between 1 and 1000000, got 0");
    }

    [TestCaseSource(nameof(Errors))]
    public void Reports_the_place_and_the_problem(string yaml, string expected)
    {
        using var dir = new TempDir();
        string path = dir.Write("falcocheck.yaml", yaml);

        var e = Assert.Throws<ConfigException>(() => ConfigLoader.LoadAgent(path, NoEnv));

        Assert.That(Render(e!.Errors, dir), Is.EqualTo(new[] { expected }));
    }

    [Test]
    public void The_secret_token_is_never_in_an_error()
    {
        using var dir = new TempDir();
        string path = dir.Write("falcocheck.yaml", "alerts:\n  http:\n    token: [hunter2]\n");

        var e = Assert.Throws<ConfigException>(() => ConfigLoader.LoadAgent(path, NoEnv));

        Assert.That(e!.Message, Does.Contain("alerts.http.token: expected a string, got a list").And.Not.Contain("hunter2"));
    }

    [Test]
    public void The_shipped_agent_example_loads_with_its_alerts_section()
    {
        string example = System.IO.Path.Combine(RepoRoot(), "samples", "falcocheck.yaml");

        AgentConfig agent = ConfigLoader.LoadAgent(example, Env(("DD_API_KEY", "k")));

        Assert.That(agent.Alerts, Is.Not.Null);
        Assert.That(agent.Alerts!.Http!.Listen.Port, Is.EqualTo(2801));
    }

    private static TestCaseData Case(string name, string yaml, string expected) => new TestCaseData(yaml, expected).SetName(name);
}
