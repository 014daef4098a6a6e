using FalcoCheck.Configuration;
using static FalcoCheck.Tests.Configuration.ConfigTestSupport;

namespace FalcoCheck.Tests.Configuration;

/// <summary>Every instance option read with a good value, and the defaults when it is absent.</summary>
internal sealed class InstanceOptionTests
{
    private static IEnumerable<TestCaseData> Options()
    {
        yield return Option("tags", "tags: [env:prod, 'team:sec', 42]", i => i.Tags, new[] { "env:prod", "team:sec", "42" });
        yield return Option("service", "service: falco", i => i.Service, "falco");
        yield return Option("service from a number", "service: 2024", i => i.Service, "2024");
        yield return Option("min_collection_interval", "min_collection_interval: 30", i => i.MinCollectionInterval, TimeSpan.FromSeconds(30));
        yield return Option("timeout decimal", "timeout: 2.5", i => i.Timeout, TimeSpan.FromSeconds(2.5));
        yield return Option("connect_timeout", "connect_timeout: 1", i => i.ConnectTimeout, TimeSpan.FromSeconds(1));
        yield return Option("read_timeout", "read_timeout: 0.25", i => i.ReadTimeout, TimeSpan.FromMilliseconds(250));
        yield return Option("connect_timeout falls back to timeout", "timeout: 4", i => i.ConnectTimeout, TimeSpan.FromSeconds(4));
        yield return Option("read_timeout falls back to timeout", "timeout: 4", i => i.ReadTimeout, TimeSpan.FromSeconds(4));
        yield return Option("headers", "headers: {Host: falco.local, X-Auth-Token: abc}", i => i.Headers,
            new Dictionary<string, string> { ["Host"] = "falco.local", ["X-Auth-Token"] = "abc" });
        yield return Option("headers empty replaces defaults with none", "headers: {}", i => i.Headers, new Dictionary<string, string>());
        yield return Option("extra_headers", "extra_headers: {X-Scope: '1', X-Empty: ''}", i => i.ExtraHeaders,
            new Dictionary<string, string> { ["X-Scope"] = "1", ["X-Empty"] = string.Empty });
        yield return Option("username", "username: falco\n    password: pw", i => i.Username, "falco");
        yield return Option("password", "username: falco\n    password: 123456", i => i.Password?.Reveal(), "123456");
        yield return Option("auth_type basic", "auth_type: basic", i => i.Username, null);
        yield return Option("tls_verify", "tls_verify: false", i => i.TlsVerify, false);
        yield return Option("tls_verify capitalised", "tls_verify: False", i => i.TlsVerify, false);
        yield return Option("tls_ca_cert absolute", "tls_ca_cert: /etc/ssl/ca.pem", i => i.TlsCaCert, "/etc/ssl/ca.pem");
        yield return Option("tls_cert", "tls_cert: /etc/falco/client.pem", i => i.TlsCert, "/etc/falco/client.pem");
        yield return Option("tls_private_key", "tls_cert: /c.pem\n    tls_private_key: /k.pem", i => i.TlsPrivateKey, "/k.pem");
        yield return Option("exclude_metrics", "exclude_metrics: [falcosecurity_scap_n_drops_total, '^falcosecurity_plugins_.*']",
            i => i.ExcludeMetrics, new[] { "falcosecurity_scap_n_drops_total", "^falcosecurity_plugins_.*" });
        yield return Option("exclude_labels", "exclude_labels: [raw_name]", i => i.ExcludeLabels, new[] { "raw_name" });
        yield return Option("include_labels", "include_labels: [rule, priority]", i => i.IncludeLabels, new[] { "rule", "priority" });
        yield return Option("rename_labels", "rename_labels: {hostname: falco_hostname}", i => i.RenameLabels,
            new Dictionary<string, string> { ["hostname"] = "falco_hostname" });
        yield return Option("tag_by_endpoint", "tag_by_endpoint: false", i => i.TagByEndpoint, false);
        yield return Option("enable_health_service_check", "enable_health_service_check: false", i => i.EnableHealthServiceCheck, false);
        yield return Option("ignore_connection_errors", "ignore_connection_errors: true", i => i.IgnoreConnectionErrors, true);
        yield return Option("raw_metric_prefix", "raw_metric_prefix: falcosecurity_", i => i.RawMetricPrefix, "falcosecurity_");
        yield return Option("hostname_label", "hostname_label: hostname", i => i.HostnameLabel, "hostname");
        yield return Option("use_latest_spec", "use_latest_spec: true", i => i.UseLatestSpec, true);
        yield return Option("openmetrics_strict", "openmetrics_strict: false", i => i.OpenMetricsStrict, false);
        yield return Option("max_response_size", "max_response_size: 1048576", i => i.MaxResponseBytes, 1_048_576L);
        yield return Option("skip_proxy", "skip_proxy: true", i => i.SkipProxy, true);
        yield return Option("null value keeps the default", "timeout:", i => i.Timeout, TimeSpan.FromSeconds(10));
        yield return Option("explicit !!str", "service: !!str 12", i => i.Service, "12");
    }

    [TestCaseSource(nameof(Options))]
    public void Reads_the_option(string option, Func<InstanceConfig, object?> get, object? expected)
    {
        var instance = LoadOne(Instance(option));

        Assert.That(get(instance), Is.EqualTo(expected));
    }

    [Test]
    public void Defaults_match_Datadog()
    {
        var instance = LoadOne(Instance());

        Assert.Multiple(() =>
        {
            Assert.That(instance.Index, Is.EqualTo(0));
            Assert.That(instance.OpenMetricsEndpoint, Is.EqualTo(new Uri("http://localhost:8765/metrics")));
            Assert.That(instance.Name, Is.EqualTo("http://localhost:8765/metrics"));
            Assert.That(instance.Tags, Is.Empty);
            Assert.That(instance.Service, Is.Null);
            Assert.That(instance.MinCollectionInterval, Is.EqualTo(TimeSpan.FromSeconds(15)));
            Assert.That(instance.Timeout, Is.EqualTo(TimeSpan.FromSeconds(10)));
            Assert.That(instance.ConnectTimeout, Is.EqualTo(TimeSpan.FromSeconds(10)));
            Assert.That(instance.ReadTimeout, Is.EqualTo(TimeSpan.FromSeconds(10)));
            Assert.That(instance.OpenMetricsStrict, Is.True);
            Assert.That(instance.Headers, Is.Null);
            Assert.That(instance.ExtraHeaders, Is.Empty);
            Assert.That(instance.Username, Is.Null);
            Assert.That(instance.Password, Is.Null);
            Assert.That(instance.AuthToken, Is.Null);
            Assert.That(instance.TlsVerify, Is.True);
            Assert.That(instance.TlsCaCert, Is.Null);
            Assert.That(instance.ExtraMetrics, Is.Empty);
            Assert.That(instance.ExcludeMetrics, Is.Empty);
            Assert.That(instance.ExcludeMetricsByLabels, Is.Empty);
            Assert.That(instance.ExcludeLabels, Is.Empty);
            Assert.That(instance.IncludeLabels, Is.Empty);
            Assert.That(instance.RenameLabels, Is.Empty);
            Assert.That(instance.TagByEndpoint, Is.True);
            Assert.That(instance.EnableHealthServiceCheck, Is.True);
            Assert.That(instance.IgnoreConnectionErrors, Is.False);
            Assert.That(instance.RawMetricPrefix, Is.Null);
            Assert.That(instance.HostnameLabel, Is.Null);
            Assert.That(instance.UseLatestSpec, Is.False);
            Assert.That(instance.MaxResponseBytes, Is.EqualTo(64L * 1024 * 1024));
            Assert.That(instance.Proxy, Is.Null);
            Assert.That(instance.SkipProxy, Is.False);
            Assert.That(instance.Position.Line, Is.EqualTo(2));
            Assert.That(instance.Position.Column, Is.EqualTo(5));
        });
    }

    [Test]
    public void Header_names_compare_case_insensitively()
    {
        var instance = LoadOne(Instance("extra_headers: {X-Scope: a}"));

        Assert.That(instance.ExtraHeaders["x-scope"], Is.EqualTo("a"));
    }

    [Test]
    public void Relative_paths_resolve_against_the_config_file()
    {
        using var dir = new TempDir();

        var config = ConfigLoader.LoadCheck(dir.Write("falco.d/conf.yaml", Instance("tls_ca_cert: certs/ca.pem")), NoEnv);

        Assert.That(config.Instances[0].TlsCaCert, Is.EqualTo(Path.Combine(dir.Path, "falco.d", "certs", "ca.pem")));
    }

    [Test]
    public void Init_config_supplies_defaults_that_instances_override()
    {
        const string yaml = """
            init_config:
              timeout: 5
              service: falco-fleet
              skip_proxy: true
              proxy:
                http: http://proxy:3128
                no_proxy: localhost, 127.0.0.1
            instances:
              - openmetrics_endpoint: http://a:8765/metrics
              - openmetrics_endpoint: http://b:8765/metrics
                timeout: 3
                service: falco-b
                skip_proxy: false
                proxy:
                  https: https://other:3129
                  no_proxy: [internal]
            """;
        using var dir = new TempDir();

        var config = LoadCheck(dir, yaml);

        Assert.That(config.Errors, Is.Empty);
        var (a, b) = (config.Instances[0], config.Instances[1]);
        Assert.Multiple(() =>
        {
            Assert.That(config.Init.Timeout, Is.EqualTo(TimeSpan.FromSeconds(5)));
            Assert.That(config.Init.Service, Is.EqualTo("falco-fleet"));
            Assert.That(config.Init.SkipProxy, Is.True);
            Assert.That(a.Timeout, Is.EqualTo(TimeSpan.FromSeconds(5)));
            Assert.That(a.Service, Is.EqualTo("falco-fleet"));
            Assert.That(a.SkipProxy, Is.True);
            Assert.That(a.Proxy, Is.SameAs(config.Init.Proxy));
            Assert.That(a.Proxy!.Http, Is.EqualTo(new Uri("http://proxy:3128")));
            Assert.That(a.Proxy.NoProxy, Is.EqualTo(new[] { "localhost", "127.0.0.1" }));
            Assert.That(b.Timeout, Is.EqualTo(TimeSpan.FromSeconds(3)));
            Assert.That(b.ConnectTimeout, Is.EqualTo(TimeSpan.FromSeconds(3)));
            Assert.That(b.Service, Is.EqualTo("falco-b"));
            Assert.That(b.SkipProxy, Is.False);
            Assert.That(b.Proxy!.Http, Is.Null);
            Assert.That(b.Proxy.Https, Is.EqualTo(new Uri("https://other:3129")));
            Assert.That(b.Proxy.NoProxy, Is.EqualTo(new[] { "internal" }));
        });
    }

    [Test]
    public void Empty_init_config_as_Datadog_writes_it_is_fine()
    {
        using var dir = new TempDir();

        var config = LoadCheck(dir, "init_config:\n\n" + Instance());

        Assert.Multiple(() =>
        {
            Assert.That(config.Errors, Is.Empty);
            Assert.That(config.Init, Is.EqualTo(InitConfig.Default));
            Assert.That(config.Instances, Has.Count.EqualTo(1));
        });
    }

    [Test]
    public void Name_hides_user_info_and_query()
    {
        var instance = LoadOne("instances:\n  - openmetrics_endpoint: https://user:pw@falco:8765/metrics?token=abc\n");

        Assert.Multiple(() =>
        {
            Assert.That(instance.Name, Is.EqualTo("https://falco:8765/metrics"));
            Assert.That(instance.OpenMetricsEndpoint.UserInfo, Is.EqualTo("user:pw"), "the scraper still gets the full URL");
        });
    }

    internal static InstanceConfig LoadOne(string yaml)
    {
        using var dir = new TempDir();
        var config = LoadCheck(dir, yaml);
        Assert.That(config.Errors, Is.Empty, () => string.Join(Environment.NewLine, config.Errors));
        Assert.That(config.Instances, Has.Count.EqualTo(1));
        return config.Instances[0];
    }

    private static TestCaseData Option(string name, string option, Func<InstanceConfig, object?> get, object? expected) =>
        new TestCaseData(option, get, expected).SetName(name);
}
