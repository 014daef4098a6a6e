using FalcoCheck.Configuration;
using FalcoCheck.Sinks.Loki;
using FalcoCheck.Sinks.Nats;
using FalcoCheck.Sinks.OtlpLogs;
using FalcoCheck.Sinks.Syslog;
using FalcoCheck.Tests.Configuration;
using static FalcoCheck.Tests.Configuration.ConfigTestSupport;

namespace FalcoCheck.Tests.Alerts;

/// <summary>The protocol sinks of <c>alerts.sinks</c> (syslog, nats, loki, otlp_logs): values, defaults and errors with their place.</summary>
internal sealed class ProtocolSinkConfigTests
{
    private static IReadOnlyList<SinkConfig> Sinks(string yaml)
    {
        using var dir = new TempDir();
        return ConfigLoader.LoadAgent(dir.Write("falcocheck.yaml", yaml), NoEnv).Alerts!.Sinks;
    }

    [Test]
    public void Reads_the_syslog_settings_and_defaults()
    {
        IReadOnlyList<SinkConfig> sinks = Sinks("""
            alerts:
              sinks:
                - type: syslog
                  host: logs.example.com
                - type: syslog
                  host: 127.0.0.1
                  port: 10514
                  protocol: tls
                  format: text
                  facility: local3
                  timeout: 3
                  tls_verify: false
            """);

        SyslogOptions plain = ((SyslogSinkConfig)sinks[0]).Options;
        SyslogOptions tls = ((SyslogSinkConfig)sinks[1]).Options;
        Assert.Multiple(() =>
        {
            Assert.That((plain.Host, plain.Port, plain.Transport, plain.Format, plain.Facility), Is.EqualTo(("logs.example.com", 514, SyslogTransport.Udp, SyslogFormat.Json, 1)));
            Assert.That((tls.Port, tls.Transport, tls.Format, tls.Facility, tls.Timeout, tls.Tls.Verify),
                Is.EqualTo((10514, SyslogTransport.Tls, SyslogFormat.Text, 19, TimeSpan.FromSeconds(3), false)));
            Assert.That(tls.Display, Is.EqualTo("tls://127.0.0.1:10514"));
        });
    }

    [Test]
    public void Tls_defaults_to_port_6514()
    {
        var options = ((SyslogSinkConfig)Sinks("alerts:\n  sinks:\n    - type: syslog\n      host: h\n      protocol: tls\n")[0]).Options;
        Assert.That(options.Port, Is.EqualTo(6514));
    }

    [Test]
    public void Reads_the_nats_settings_and_keeps_the_secrets_out_of_the_name()
    {
        IReadOnlyList<SinkConfig> sinks = Sinks("""
            alerts:
              sinks:
                - type: nats
                  url: nats://127.0.0.1:4222
                - type: nats
                  url: tls://nats.example.com:4222
                  subject: security.<priority>
                  username: falco
                  password: s3cret-pass
                  timeout: 4
                  tls_ca_cert: ca.pem
            """);

        NatsOptions plain = ((NatsSinkConfig)sinks[0]).Options;
        NatsOptions full = ((NatsSinkConfig)sinks[1]).Options;
        using var sink = new NatsSink(full);
        Assert.Multiple(() =>
        {
            Assert.That((plain.Subject, plain.Timeout, plain.Username), Is.EqualTo(("falco.<priority>.<rule>", TimeSpan.FromSeconds(10), (string?)null)));
            Assert.That((full.Subject, full.Username, full.Password!.Reveal(), full.Timeout), Is.EqualTo(("security.<priority>", "falco", "s3cret-pass", TimeSpan.FromSeconds(4))));
            Assert.That(full.Tls.CaCert, Does.EndWith("ca.pem"));
            Assert.That(sink.Name, Is.EqualTo("nats:tls://nats.example.com:4222/").And.Not.Contain("s3cret"));
        });
    }

    [Test]
    public void Reads_the_loki_settings()
    {
        IReadOnlyList<SinkConfig> sinks = Sinks("""
            alerts:
              sinks:
                - type: loki
                  url: http://loki:3100
                - type: loki
                  url: https://logs.example.com/loki/api/v1/push
                  tenant: team-sec
                  encoding: json
                  format: text
                  labels: [rule, k8s_ns_name]
                  extra_labels: {job: falco}
                  bearer_token: t0ken-value
                  timeout: 3
            """);

        LokiOptions plain = ((LokiSinkConfig)sinks[0]).Options;
        LokiOptions full = ((LokiSinkConfig)sinks[1]).Options;
        Assert.Multiple(() =>
        {
            Assert.That(plain.Endpoint.Url.ToString(), Is.EqualTo("http://loki:3100/loki/api/v1/push"));
            Assert.That((plain.Encoding, plain.TextLines, plain.Tenant), Is.EqualTo((LokiEncoding.Protobuf, false, (string?)null)));
            Assert.That(plain.Labels, Is.EqualTo(new[] { LokiLabel.Priority, LokiLabel.Rule, LokiLabel.Source, LokiLabel.Hostname }));
            Assert.That(full.Endpoint.Url.ToString(), Is.EqualTo("https://logs.example.com/loki/api/v1/push"));
            Assert.That((full.Encoding, full.TextLines, full.Tenant, full.Timeout), Is.EqualTo((LokiEncoding.Json, true, "team-sec", TimeSpan.FromSeconds(3))));
            Assert.That(full.Labels, Is.EqualTo(new[] { LokiLabel.Rule, LokiLabel.K8sNsName }));
            Assert.That(full.ExtraLabels, Is.EqualTo(new Dictionary<string, string> { ["job"] = "falco" }));
            Assert.That(full.Endpoint.BearerToken!.Reveal(), Is.EqualTo("t0ken-value"));
        });
    }

    [Test]
    public void Reads_the_otlp_logs_settings()
    {
        IReadOnlyList<SinkConfig> sinks = Sinks("""
            alerts:
              sinks:
                - type: otlp_logs
                  url: http://collector:4318
                - type: otlp_logs
                  url: https://otlp.example.com/custom/logs
                  service_name: falco-prod
                  compression: gzip
                  headers: {X-Api-Key: k3y}
                  timeout: 2
            """);

        OtlpLogsOptions plain = ((OtlpLogsSinkConfig)sinks[0]).Options;
        OtlpLogsOptions full = ((OtlpLogsSinkConfig)sinks[1]).Options;
        Assert.Multiple(() =>
        {
            Assert.That(plain.Endpoint.Url.ToString(), Is.EqualTo("http://collector:4318/v1/logs"));
            Assert.That((plain.ServiceName, plain.Compression), Is.EqualTo(("falco", FalcoCheck.Sinks.Delivery.Compression.None)));
            Assert.That(full.Endpoint.Url.ToString(), Is.EqualTo("https://otlp.example.com/custom/logs"), "a URL with a path is used as it is");
            Assert.That((full.ServiceName, full.Compression, full.Timeout), Is.EqualTo(("falco-prod", FalcoCheck.Sinks.Delivery.Compression.Gzip, TimeSpan.FromSeconds(2))));
            Assert.That(full.Endpoint.Headers["X-Api-Key"].Reveal(), Is.EqualTo("k3y"));
        });
    }

    private static IEnumerable<TestCaseData> Errors()
    {
        yield return Case("otlp_logs without url", "alerts:\n  sinks:\n    - type: otlp_logs\n", "falcocheck.yaml:3:7: alerts.sinks[0].url: required setting is missing");
        yield return Case("otlp_logs compression", "alerts:\n  sinks:\n    - type: otlp_logs\n      url: http://c:4318\n      compression: zstd\n",
            "falcocheck.yaml:5:20: alerts.sinks[0].compression: expected one of none, gzip, got 'zstd'");
        yield return Case("loki label unbounded", "alerts:\n  sinks:\n    - type: loki\n      url: http://l\n      labels: [rule, output]\n",
            "falcocheck.yaml:5:15: alerts.sinks[0].labels: unknown label 'output'; expected some of priority, rule, source, hostname, k8s_ns_name (the output text and per-event fields would make a stream per alert)");
        yield return Case("loki extra label clash", "alerts:\n  sinks:\n    - type: loki\n      url: http://l\n      extra_labels: {rule: x}\n",
            "falcocheck.yaml:5:21: alerts.sinks[0].extra_labels: 'rule' is already a label of the alert");
        yield return Case("loki extra label name", "alerts:\n  sinks:\n    - type: loki\n      url: http://l\n      extra_labels: {1job: x}\n",
            "falcocheck.yaml:5:21: alerts.sinks[0].extra_labels: '1job' is not a label name (letters, digits and '_', not starting with a digit)");
        yield return Case("loki no label", "alerts:\n  sinks:\n    - type: loki\n      url: http://l\n      labels: []\n",
            "falcocheck.yaml:5:15: alerts.sinks[0].labels: Loki needs at least one label: give labels or extra_labels");
        yield return Case("loki encoding", "alerts:\n  sinks:\n    - type: loki\n      url: http://l\n      encoding: xml\n",
            "falcocheck.yaml:5:17: alerts.sinks[0].encoding: expected one of protobuf, json, got 'xml'");
        yield return Case("loki password alone", "alerts:\n  sinks:\n    - type: loki\n      url: http://l\n      password: hunter2\n",
            "falcocheck.yaml:5:17: alerts.sinks[0].password: username is required when password is set");
        yield return Case("nats without url", "alerts:\n  sinks:\n    - type: nats\n", "falcocheck.yaml:3:7: alerts.sinks[0].url: required setting is missing");
        yield return Case("nats url scheme", "alerts:\n  sinks:\n    - type: nats\n      url: http://x:4222\n",
            "falcocheck.yaml:4:12: alerts.sinks[0].url: expected a URL with scheme nats, tls, got scheme 'http'");
        yield return Case("nats subject wildcard", "alerts:\n  sinks:\n    - type: nats\n      url: nats://x:4222\n      subject: falco.*\n",
            "falcocheck.yaml:5:16: alerts.sinks[0].subject: not a NATS subject: it a wildcard cannot be published to");
        yield return Case("nats password alone", "alerts:\n  sinks:\n    - type: nats\n      url: nats://x:4222\n      password: hunter2\n",
            "falcocheck.yaml:5:17: alerts.sinks[0].password: username is required when password is set");
        yield return Case("nats token and username", "alerts:\n  sinks:\n    - type: nats\n      url: nats://x:4222\n      token: t0k\n      username: u\n      password: p\n",
            "falcocheck.yaml:5:14: alerts.sinks[0].token: token and username are two ways to log in; use one of them");
        yield return Case("webhook format", "alerts:\n  sinks:\n    - type: webhook\n      url: http://h/x\n      format: slak\n",
            "falcocheck.yaml:5:15: alerts.sinks[0].format: expected one of json, slack, mattermost, teams, got 'slak'; did you mean 'slack'?");
        yield return Case("syslog without host", "alerts:\n  sinks:\n    - type: syslog\n", "falcocheck.yaml:3:7: alerts.sinks[0].host: required setting is missing");
        yield return Case("syslog protocol", "alerts:\n  sinks:\n    - type: syslog\n      host: h\n      protocol: quic\n",
            "falcocheck.yaml:5:17: alerts.sinks[0].protocol: expected one of udp, tcp, tls, got 'quic'");
        yield return Case("syslog port", "alerts:\n  sinks:\n    - type: syslog\n      host: h\n      port: 70000\n",
            "falcocheck.yaml:5:13: alerts.sinks[0].port: must be between 1 and 65535, got 70000");
        yield return Case("syslog facility", "alerts:\n  sinks:\n    - type: syslog\n      host: h\n      facility: local9\n",
            "falcocheck.yaml:5:17: alerts.sinks[0].facility: expected one of kern, user, mail, daemon, auth, syslog, lpr, news, uucp, cron, authpriv, ftp, ntp, security, console, solaris-cron, local0, local1, local2, local3, local4, local5, local6, local7, got 'local9'; did you mean 'local0'?");
        yield return Case("syslog tls setting without tls", "alerts:\n  sinks:\n    - type: syslog\n      host: h\n      tls_ca_cert: ca.pem\n",
            "falcocheck.yaml:5:20: alerts.sinks[0].tls_ca_cert: TLS settings need protocol: tls");
        yield return Case("syslog unknown key", "alerts:\n  sinks:\n    - type: syslog\n      host: h\n      protcol: tcp\n",
            "falcocheck.yaml:5:7: alerts.sinks[0].protcol: unknown setting 'protcol'; did you mean 'protocol'?");
    }

    private static TestCaseData Case(string name, string yaml, string expected) => new TestCaseData(yaml, expected).SetName(name);

    [TestCaseSource(nameof(Errors))]
    public void Reports_the_place_and_the_problem(string yaml, string expected)
    {
        using var dir = new TempDir();
        string path = dir.Write("falcocheck.yaml", yaml);

        var e = Assert.Throws<ConfigException>(() => ConfigLoader.LoadAgent(path, NoEnv));

        Assert.That(Render(e!.Errors, dir), Is.EqualTo(new[] { expected }));
    }
}
