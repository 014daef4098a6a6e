using System.Text.RegularExpressions;
using FalcoCheck.Configuration;
using static FalcoCheck.Tests.Configuration.ConfigTestSupport;

namespace FalcoCheck.Tests.Configuration;

/// <summary>
/// A Datadog user's conf.yaml loads as it is: Datadog's own example for the Falco check with every option
/// uncommented, and an OpenMetrics V2 instance with the options the Falco example leaves out, give no error;
/// options without effect here become notices that say what FalcoCheck does instead.
/// </summary>
internal sealed partial class DatadogConfigTests
{
    private static string DatadogExample => Path.Combine(RepoRoot(), "samples", "reference", "datadog", "falco", "data", "conf.yaml.example");

    /// <summary>Values for the example's placeholders, as a user would fill them in.</summary>
    private static readonly Dictionary<string, string> Placeholders = new(StringComparer.Ordinal)
    {
        ["<OPENMETRICS_ENDPOINT>"] = "http://localhost:8765/metrics",
        ["<PROXY_SERVER_FOR_HTTP>:<PORT>"] = "proxy.internal:3128",
        ["<PROXY_SERVER_FOR_HTTPS>:<PORT>"] = "proxy.internal:3129",
        ["<HOSTNAME_1>"] = "localhost",
        ["<HOSTNAME_2>"] = "10.0.0.1",
        ["<SERVICE>"] = "falco",
        ["<PREFIX>"] = "falcosecurity",
        ["<LABEL_NAME_1>"] = "hostname",
        ["<NEW_LABEL_NAME_1>"] = "falco_host",
        ["<LABEL_NAME_2>"] = "rule",
        ["<NEW_LABEL_NAME_2>"] = "rule_name",
        ["<HOSTNAME_LABEL>"] = "hostname",
        ["<HOSTNAME>"] = "node",
        ["<FULL:TAG>"] = "env:test",
        ["<TAG_PREFIX:.*>"] = "^tmp:.*",
        ["<TAG_SUFFIX$>"] = ":old$",
        ["<USERNAME>"] = "falco",
        ["<PASSWORD>"] = "secret",
        ["<NTLM_DOMAIN>"] = "DOMAIN",
        ["<KERBEROS_CACHE>"] = "/tmp/krb5cc",
        ["<KERBEROS_HOSTNAME>"] = "falco.internal",
        ["<KERBEROS_PRINCIPAL>"] = "falco@REALM",
        ["<KEYTAB_FILE_PATH>"] = "/etc/falco.keytab",
        ["<AWS_REGION>"] = "eu-west-1",
        ["<AWS_HOST>"] = "falco.internal",
        ["<AWS_SERVICE>"] = "execute-api",
        ["<CERT_PATH>"] = "/etc/falcocheck/client.pem",
        ["<PRIVATE_KEY_PATH>"] = "/etc/falcocheck/client.key",
        ["<CA_CERT_PATH>"] = "/etc/falcocheck/ca.pem",
        ["<ALTERNATIVE_HOSTNAME>"] = "falco.internal",
        ["<AUTH_TOKEN>"] = "token",
        ["<CONNECT_TIMEOUT>"] = "5",
        ["<READ_TIMEOUT>"] = "5",
        ["<KEY_1>:<VALUE_1>"] = "team:security",
        ["<KEY_2>:<VALUE_2>"] = "env:prod",
        ["<INCLUDE_REGEX>"] = "^falcosecurity_",
        ["<EXCLUDE_REGEX>"] = "_info$",
    };

    /// <summary>auth_token's reader and writer are written with generic placeholders; a user picks a file and a header.</summary>
    private const string AuthToken = """
            auth_token:
              reader:
                type: file
                path: /var/run/secrets/token
              writer:
                type: header
                name: X-Falco-Token
        """;

    /// <summary>The example with every commented-out option turned on and the placeholders filled in.</summary>
    private static string Uncommented()
    {
        var lines = new List<string>();
        bool inAuthToken = false;
        foreach (string line in File.ReadAllLines(DatadogExample))
        {
            Match option = CommentedOption().Match(line);
            string text = option.Success ? option.Groups[1].Value + option.Groups[2].Value : line;
            if (text.TrimStart().StartsWith("auth_token:", StringComparison.Ordinal))
            {
                inAuthToken = true;
                lines.AddRange(AuthToken.Split('\n'));
                continue;
            }

            if (inAuthToken && text.StartsWith("      ", StringComparison.Ordinal))
            {
                continue; // the generic reader/writer lines, replaced above
            }

            inAuthToken = false;
            lines.Add(text);
        }

        string yaml = string.Join('\n', lines) + "\n";
        foreach (var (placeholder, value) in Placeholders)
        {
            yaml = yaml.Replace(placeholder, value, StringComparison.Ordinal);
        }

        return yaml;
    }

    [Test]
    public void Datadogs_Falco_example_with_every_option_uncommented_loads_without_error()
    {
        using var dir = new TempDir();
        string yaml = Uncommented();
        Assert.That(yaml.Split('\n').Where(l => !l.TrimStart().StartsWith('#')), Has.None.Contains("<"), "every placeholder is filled in");
        Assert.That(yaml, Does.Contain("\n    kerberos_auth: disabled\n"), "the options really are uncommented");

        var config = LoadCheck(dir, yaml);

        Assert.Multiple(() =>
        {
            Assert.That(Render(config.Errors, dir), Is.Empty);
            Assert.That(config.Instances, Has.Count.EqualTo(1));
            Assert.That(config.Notices.Select(n => n.SettingPath), Is.SupersetOf(new[]
            {
                "instances[0].kerberos_auth", "instances[0].share_labels", "instances[0].telemetry",
                "instances[0].collect_histogram_buckets", "instances[0].request_size", "instances[0].persist_connections",
                "instances[0].empty_default_hostname", "instances[0].tls_protocols_allowed[0]",
            }));
        });

        var instance = config.Instances[0];
        Assert.Multiple(() =>
        {
            // ignore_tags [env:test, ^tmp:.*, :old$] keeps both of the example's tags.
            Assert.That(instance.Tags, Is.EqualTo(new[] { "team:security", "env:prod" }));
            Assert.That(instance.IncludeMetrics, Is.EqualTo(new[] { "^falcosecurity_" }));
            Assert.That(instance.ExcludeMetrics, Does.Contain("_info$"));
            Assert.That(instance.TlsProtocols, Is.EqualTo(System.Security.Authentication.SslProtocols.Tls12 | System.Security.Authentication.SslProtocols.Tls13));
            Assert.That(instance.TlsCiphers, Has.Count.EqualTo(3));
            Assert.That(instance.AllowRedirects, Is.True);
        });
    }

    [Test]
    public void An_OpenMetrics_V2_instance_with_the_options_the_Falco_example_leaves_out_loads_and_honours_them()
    {
        using var dir = new TempDir();
        var config = LoadCheck(dir, Instance(
            "namespace: falco",
            "metrics:",
            "  - falcosecurity_falco_outputs_queue_num_drops",
            "  - falcosecurity_scap_n_drops: scap.drops",
            "metric_patterns: {include: ['^falcosecurity_'], exclude: ['jemalloc']}",
            "ignore_tags: ['^tmp:']",
            "tags: [team:security, 'tmp:debug']",
            "raw_line_filters: ['^#']",
            "cache_metric_wildcards: true",
            "telemetry: false",
            "use_process_start_time: true",
            "disable_generic_tags: true",
            "allow_redirects: false",
            "tls_verify: false",
            "tls_ignore_warning: true",
            "tls_ciphers: [ECDHE-RSA-AES128-GCM-SHA256, TLS_AES_256_GCM_SHA384]",
            "tls_protocols_allowed: [TLSv1.3]",
            "log_requests: true",
            "persist_connections: true"));

        Assert.That(Render(config.Errors, dir), Is.Empty);
        var instance = config.Instances.Single();
        Assert.Multiple(() =>
        {
            Assert.That(instance.ExtraMetrics.Select(m => (m.Pattern, m.Name)), Is.EqualTo(new (string, string?)[]
            {
                ("falcosecurity_falco_outputs_queue_num_drops", null), ("falcosecurity_scap_n_drops", "scap.drops"),
            }));
            Assert.That(instance.Tags, Is.EqualTo(new[] { "team:security" }));
            Assert.That(instance.IncludeMetrics, Is.EqualTo(new[] { "^falcosecurity_" }));
            Assert.That(instance.ExcludeMetrics, Is.EqualTo(new[] { "(?:jemalloc)" }), "a plain name is searched, as Datadog's re.search does");
            Assert.That(instance.AllowRedirects, Is.False);
            Assert.That(instance.TlsProtocols, Is.EqualTo(System.Security.Authentication.SslProtocols.Tls13));
            Assert.That(instance.TlsCiphers, Is.EqualTo(new[]
            {
                System.Net.Security.TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, System.Net.Security.TlsCipherSuite.TLS_AES_256_GCM_SHA384,
            }));
            Assert.That(config.Notices.Select(n => n.SettingPath), Is.EqualTo(new[]
            {
                "instances[0].namespace", "instances[0].raw_line_filters", "instances[0].cache_metric_wildcards",
                "instances[0].telemetry", "instances[0].use_process_start_time", "instances[0].disable_generic_tags",
                "instances[0].log_requests", "instances[0].persist_connections",
            }), "tls_ignore_warning silences the tls_verify notice");
        });
    }

    [Test]
    public void A_notice_names_its_place_and_what_FalcoCheck_does_instead()
    {
        using var dir = new TempDir();

        var config = LoadCheck(dir, "ad_identifiers: [falco]\nlogs:\n  - type: tcp\n" + Instance("tls_verify: false", "telemetry: true"));

        Assert.Multiple(() =>
        {
            Assert.That(config.Errors, Is.Empty);
            Assert.That(config.Notices.Select(n => n.ToNotice().Replace(dir.Path + "/", string.Empty, StringComparison.Ordinal)), Is.EqualTo(new[]
            {
                "conf.yaml:1:1: ad_identifiers: notice: Datadog option accepted, not used: FalcoCheck does not run Autodiscovery; the instances come from this file",
                "conf.yaml:3:11: logs[0].type: notice: type 'tcp' is the Datadog Agent's; FalcoCheck follows type: file entries (Falco's file_output) and receives http_output with alerts.http",
                "conf.yaml:6:17: instances[0].tls_verify: notice: the endpoint's certificate is not checked; set tls_ignore_warning: true to silence this notice",
                "conf.yaml:7:5: instances[0].telemetry: notice: Datadog option accepted, not used: falcocheck run always sends its own falco.check.* metrics, and falcocheck status shows them",
            }));
        });
    }

    // "    # key: value" and "    #   nested: value" (options; the spaces after "# " are the nesting), not "    ## prose".
    [GeneratedRegex(@"^(\s*)# (.*\S.*)$")]
    private static partial Regex CommentedOption();
}
