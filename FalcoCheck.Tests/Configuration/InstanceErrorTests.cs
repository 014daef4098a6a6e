using static FalcoCheck.Tests.Configuration.ConfigTestSupport;

namespace FalcoCheck.Tests.Configuration;

/// <summary>
/// Every instance-level mistake, with the exact <c>file:line:column: path: message</c> it must produce.
/// <see cref="ConfigTestSupport.Instance"/> puts the options from line 3, column 5.
/// </summary>
internal sealed class InstanceErrorTests
{
    private const string Types = "gauge, counter, monotonic_count, histogram, summary";

    private static IEnumerable<TestCaseData> Cases()
    {
        yield return Case("unknown key suggests the nearest", Instance("timout: 5"),
            "conf.yaml:3:5: instances[0].timout: unknown setting 'timout'; did you mean 'timeout'?");
        yield return Case("unknown key suggests by prefix", Instance("exclude_metric: [a]"),
            "conf.yaml:3:5: instances[0].exclude_metric: unknown setting 'exclude_metric'; did you mean 'exclude_metrics'?");
        yield return Case("unknown key without a near match", Instance("frobnicate: 1"),
            "conf.yaml:3:5: instances[0].frobnicate: unknown setting 'frobnicate'");
        yield return Case("tls_protocols_allowed an unknown version", Instance("tls_protocols_allowed: [TLSv1.2, TLSv9]"),
            "conf.yaml:3:38: instances[0].tls_protocols_allowed[1]: expected one of SSLv3, TLSv1, TLSv1.1, TLSv1.2, TLSv1.3, got 'TLSv9'");
        yield return Case("tls_protocols_allowed only retired versions", Instance("tls_protocols_allowed: [SSLv3]"),
            "conf.yaml:3:28: instances[0].tls_protocols_allowed: none of these can be offered; add TLSv1.2 or TLSv1.3");
        yield return Case("tls_ciphers an unknown suite", Instance("tls_ciphers: [TLS_AES_128_GCM_SHA256, RC4-MD5]"),
            "conf.yaml:3:43: instances[0].tls_ciphers[1]: unknown cipher suite 'RC4-MD5'; expected an IANA name such as TLS_AES_128_GCM_SHA256, or ALL");
        yield return Case("ignore_tags a bad regex", Instance("ignore_tags: ['env:(']"),
            "conf.yaml:3:19: instances[0].ignore_tags[0]: invalid regular expression: Invalid pattern 'env:(' at offset 5. Not enough )'s.");
        yield return Case("metric_patterns with an unknown key", Instance("metric_patterns: {includ: [a]}"),
            "conf.yaml:3:23: instances[0].metric_patterns.includ: unknown setting 'includ'; did you mean 'include'?");
        yield return Case("metrics item a list", Instance("metrics: [[a]]"),
            "conf.yaml:3:15: instances[0].metrics[0]: expected a metric name or a mapping, got a list");
        yield return Case("tags item is a mapping", Instance("tags: [a, b, c, {x: 1}]"),
            "conf.yaml:3:21: instances[0].tags[3]: expected a string, got a mapping");
        yield return Case("tags is a string", Instance("tags: env:prod"),
            "conf.yaml:3:11: instances[0].tags: expected a list of strings, got a string");
        yield return Case("tags item is a boolean", Instance("tags: [true]"),
            "conf.yaml:3:12: instances[0].tags[0]: expected a string, got a boolean; quote it if you mean the text");
        yield return Case("timeout negative", Instance("timeout: -1"),
            "conf.yaml:3:14: instances[0].timeout: must be greater than 0 seconds, got '-1'");
        yield return Case("timeout zero", Instance("timeout: 0"),
            "conf.yaml:3:14: instances[0].timeout: must be greater than 0 seconds, got '0'");
        yield return Case("timeout a word", Instance("timeout: ten"),
            "conf.yaml:3:14: instances[0].timeout: expected a number of seconds (such as 10 or 2.5), got 'ten'");
        yield return Case("timeout quoted", Instance("timeout: \"10\""),
            "conf.yaml:3:14: instances[0].timeout: expected a number of seconds, got a quoted string; remove the quotes");
        yield return Case("timeout over a day", Instance("timeout: 100000"),
            "conf.yaml:3:14: instances[0].timeout: must be at most 86400 seconds (one day), got '100000'");
        yield return Case("timeout written longer than the interval written", Instance("min_collection_interval: 15\n    timeout: 20"),
            "conf.yaml:4:14: instances[0].timeout: 20 s is longer than min_collection_interval (15 s, at conf.yaml:3:30); runs would overlap");
        yield return Case("interval written shorter than init_config.timeout",
            "init_config:\n  timeout: 8\n" + Instance("min_collection_interval: 7.5"),
            "conf.yaml:5:30: instances[0].min_collection_interval: 7.5 s is shorter than init_config.timeout (8 s, at conf.yaml:2:12); runs would overlap");
        yield return Case("read_timeout written longer than the interval written", Instance("read_timeout: 16\n    min_collection_interval: 15"),
            "conf.yaml:3:19: instances[0].read_timeout: 16 s is longer than min_collection_interval (15 s, at conf.yaml:4:30); runs would overlap");
        yield return Case("connect_timeout written longer than the interval written", Instance("min_collection_interval: 2\n    connect_timeout: 3"),
            "conf.yaml:4:22: instances[0].connect_timeout: 3 s is longer than min_collection_interval (2 s, at conf.yaml:3:30); runs would overlap");
        yield return Case("connect_timeout a list", Instance("connect_timeout: [1]"),
            "conf.yaml:3:22: instances[0].connect_timeout: expected a number of seconds, got a list");
        yield return Case("tls_verify yes is not a boolean", Instance("tls_verify: yes"),
            "conf.yaml:3:17: instances[0].tls_verify: expected true or false, got 'yes' (YAML 1.2 booleans are only true and false)");
        yield return Case("tag_by_endpoint a list", Instance("tag_by_endpoint: [true]"),
            "conf.yaml:3:22: instances[0].tag_by_endpoint: expected true or false, got a list");
        yield return Case("enable_health_service_check a number", Instance("enable_health_service_check: 1"),
            "conf.yaml:3:34: instances[0].enable_health_service_check: expected true or false, got '1' (YAML 1.2 booleans are only true and false)");
        yield return Case("ignore_connection_errors quoted", Instance("ignore_connection_errors: 'true'"),
            "conf.yaml:3:31: instances[0].ignore_connection_errors: expected true or false, got a quoted string; remove the quotes");
        yield return Case("use_latest_spec off", Instance("use_latest_spec: off"),
            "conf.yaml:3:22: instances[0].use_latest_spec: expected true or false, got 'off' (YAML 1.2 booleans are only true and false)");
        yield return Case("skip_proxy a mapping", Instance("skip_proxy: {a: 1}"),
            "conf.yaml:3:17: instances[0].skip_proxy: expected true or false, got a mapping");
        yield return Case("endpoint missing", "instances:\n  - tags: [a]\n",
            "conf.yaml:2:5: instances[0].openmetrics_endpoint: required setting is missing");
        yield return Case("endpoint empty points at the key", "instances:\n  - openmetrics_endpoint:\n    tags: [a]\n",
            "conf.yaml:2:5: instances[0].openmetrics_endpoint: required setting is empty");
        yield return Case("endpoint with ftp scheme", "instances:\n  - openmetrics_endpoint: ftp://host/metrics\n",
            "conf.yaml:2:27: instances[0].openmetrics_endpoint: expected a URL with scheme http, https, got scheme 'ftp'");
        yield return Case("endpoint without scheme", "instances:\n  - openmetrics_endpoint: localhost:8765/metrics\n",
            "conf.yaml:2:27: instances[0].openmetrics_endpoint: expected an absolute URL such as http://host:port/");
        yield return Case("endpoint a list", "instances:\n  - openmetrics_endpoint: [http://a]\n",
            "conf.yaml:2:27: instances[0].openmetrics_endpoint: expected a string, got a list");
        yield return Case("min_collection_interval a word", Instance("min_collection_interval: fast"),
            "conf.yaml:3:30: instances[0].min_collection_interval: expected a number of seconds (such as 10 or 2.5), got 'fast'");
        yield return Case("read_timeout a mapping", Instance("read_timeout: {s: 1}"),
            "conf.yaml:3:19: instances[0].read_timeout: expected a number of seconds, got a mapping");
        yield return Case("username a list", Instance("username: [u]", "password: p"),
            "conf.yaml:3:15: instances[0].username: expected a string, got a list");
        yield return Case("password a list", Instance("username: u", "password: [p]"),
            "conf.yaml:4:15: instances[0].password: expected a string, got a list");
        yield return Case("tls_cert a list", Instance("tls_cert: [a.pem]"),
            "conf.yaml:3:15: instances[0].tls_cert: expected a string, got a list");
        yield return Case("tls_private_key a list", Instance("tls_cert: c.pem", "tls_private_key: [k.pem]"),
            "conf.yaml:4:22: instances[0].tls_private_key: expected a string, got a list");
        yield return Case("headers a string", Instance("headers: 'Host: x'"),
            "conf.yaml:3:14: instances[0].headers: expected a mapping of names to strings, got a string");
        yield return Case("exclude_metrics a string", Instance("exclude_metrics: foo"),
            "conf.yaml:3:22: instances[0].exclude_metrics: expected a list of strings, got a string");
        yield return Case("rename_labels a list", Instance("rename_labels: [a]"),
            "conf.yaml:3:20: instances[0].rename_labels: expected a mapping of names to strings, got a list");
        yield return Case("YAML merge key", Instance("<<: {tags: [a]}"),
            "conf.yaml:3:5: instances[0].<<: YAML merge keys ('<<') are not supported; repeat the settings, or use %%env_NAME%% for shared values");
        yield return Case("username without password", Instance("username: falco"),
            "conf.yaml:3:15: instances[0].username: password is required when username is set");
        yield return Case("password without username", Instance("password: s3cret"),
            "conf.yaml:3:15: instances[0].password: username is required when password is set");
        yield return Case("auth_type kerberos", Instance("auth_type: kerberos"),
            "conf.yaml:3:16: instances[0].auth_type: 'kerberos' is a Datadog option FalcoCheck does not support; FalcoCheck supports basic (username and password) and auth_token");
        yield return Case("auth_type unknown", Instance("auth_type: bearer"),
            "conf.yaml:3:16: instances[0].auth_type: expected basic, got 'bearer'");
        yield return Case("tls_private_key without tls_cert", Instance("tls_private_key: key.pem"),
            "conf.yaml:3:22: instances[0].tls_private_key: tls_cert is required when tls_private_key is set");
        yield return Case("tls_ca_cert a boolean", Instance("tls_ca_cert: false"),
            "conf.yaml:3:18: instances[0].tls_ca_cert: expected a string, got a boolean; quote it if you mean the text");
        yield return Case("service a boolean", Instance("service: true"),
            "conf.yaml:3:14: instances[0].service: expected a string, got a boolean; quote it if you mean the text");
        yield return Case("hostname_label a list", Instance("hostname_label: [a]"),
            "conf.yaml:3:21: instances[0].hostname_label: expected a string, got a list");
        yield return Case("raw_metric_prefix empty", Instance("raw_metric_prefix: ''"),
            "conf.yaml:3:24: instances[0].raw_metric_prefix: must not be empty");
        yield return Case("max_response_size zero", Instance("max_response_size: 0"),
            "conf.yaml:3:24: instances[0].max_response_size: must be between 1 and 1073741824, got 0");
        yield return Case("max_response_size decimal", Instance("max_response_size: 2.5"),
            "conf.yaml:3:24: instances[0].max_response_size: expected a whole number, got '2.5'");
        yield return Case("max_response_size a word", Instance("max_response_size: big"),
            "conf.yaml:3:24: instances[0].max_response_size: expected an integer, got 'big'");
        yield return Case("extra_metrics type misspelt", Instance("extra_metrics:", "  - foo:", "      type: gauges"),
            $"conf.yaml:5:17: instances[0].extra_metrics[0].foo.type: expected one of {Types}, got 'gauges'; did you mean 'gauge'?");
        yield return Case("extra_metrics Datadog-only type", Instance("extra_metrics: [{foo: {type: rate}}]"),
            $"conf.yaml:3:34: instances[0].extra_metrics[0].foo.type: 'rate' is a Datadog metric type FalcoCheck does not support; expected one of {Types}");
        yield return Case("extra_metrics unknown definition key", Instance("extra_metrics: [{foo: {nmae: bar}}]"),
            "conf.yaml:3:28: instances[0].extra_metrics[0].foo.nmae: unknown setting 'nmae'; did you mean 'name'?");
        yield return Case("extra_metrics empty definition", Instance("extra_metrics: [{foo: {}}]"),
            "conf.yaml:3:27: instances[0].extra_metrics[0].foo: expected a mapping with name and/or type");
        yield return Case("extra_metrics bad regex", Instance("extra_metrics: ['foo(']"),
            "conf.yaml:3:21: instances[0].extra_metrics[0]: invalid regular expression: Invalid pattern 'foo(' at offset 4. Not enough )'s.");
        yield return Case("extra_metrics null item", Instance("extra_metrics: [~]"),
            "conf.yaml:3:21: instances[0].extra_metrics[0]: expected a string, got nothing (null)");
        yield return Case("extra_metrics a mapping", Instance("extra_metrics: {foo: bar}"),
            "conf.yaml:3:20: instances[0].extra_metrics: expected a list of metric names or mappings, got a mapping");
        yield return Case("exclude_metrics bad regex", Instance("exclude_metrics: ['[a-']"),
            "conf.yaml:3:23: instances[0].exclude_metrics[0]: invalid regular expression: Invalid pattern '[a-' at offset 3. Unterminated [] set.");
        yield return Case("exclude_metrics_by_labels false", Instance("exclude_metrics_by_labels: {worker: false}"),
            "conf.yaml:3:41: instances[0].exclude_metrics_by_labels.worker: expected true (every value) or a list of label values, got a boolean");
        yield return Case("exclude_metrics_by_labels nested list", Instance("exclude_metrics_by_labels: {pid: ['23', [42]]}"),
            "conf.yaml:3:45: instances[0].exclude_metrics_by_labels.pid[1]: expected a string, got a list");
        yield return Case("exclude_labels a mapping", Instance("exclude_labels: {a: b}"),
            "conf.yaml:3:21: instances[0].exclude_labels: expected a list of strings, got a mapping");
        yield return Case("include_labels null item", Instance("include_labels: [a, null]"),
            "conf.yaml:3:25: instances[0].include_labels[1]: expected a string, got nothing (null)");
        yield return Case("rename_labels value a list", Instance("rename_labels: {a: [b]}"),
            "conf.yaml:3:24: instances[0].rename_labels.a: expected a string, got a list");
        yield return Case("headers invalid name", Instance("headers: {Bad Header: x}"),
            "conf.yaml:3:15: instances[0].headers.Bad Header: not a valid HTTP header name (letters, digits and !#$%&'*+-.^_`|~ only)");
        yield return Case("headers duplicate by case", Instance("headers: {Host: a, host: b}"),
            "conf.yaml:3:24: instances[0].headers.host: 'host' is given twice (names here are case-insensitive)");
        yield return Case("extra_headers a list", Instance("extra_headers: [a]"),
            "conf.yaml:3:20: instances[0].extra_headers: expected a mapping of names to strings, got a list");
        yield return Case("proxy socks5h", Instance("proxy: {http: 'socks5h://p:1080'}"),
            "conf.yaml:3:19: instances[0].proxy.http: scheme 'socks5h' is not supported; use socks5, which lets the proxy resolve host names");
        yield return Case("proxy key misspelt", Instance("proxy: {htp: 'http://p:3128'}"),
            "conf.yaml:3:13: instances[0].proxy.htp: unknown setting 'htp'; did you mean 'http'?");
        yield return Case("proxy ftp", Instance("proxy: {https: 'ftp://p:21'}"),
            "conf.yaml:3:20: instances[0].proxy.https: expected a URL with scheme http, https, socks4, socks4a, socks5, got scheme 'ftp'");
        yield return Case("proxy a string", Instance("proxy: http://p:3128"),
            "conf.yaml:3:12: instances[0].proxy: expected a mapping with http, https and no_proxy, got a string");
        yield return Case("missing environment variable", Instance("service: \"%%env_NOPE%%\""),
            "conf.yaml:3:14: instances[0].service: environment variable 'NOPE' is not set (used as %%env_NOPE%%)");
        yield return Case("Autodiscovery variable", "instances:\n  - openmetrics_endpoint: \"http://%%host%%:8765/metrics\"\n",
            "conf.yaml:2:27: instances[0].openmetrics_endpoint: '%%host%%' is an Autodiscovery template variable, which FalcoCheck does not resolve; only %%env_NAME%% is supported");
        yield return Case("instance null", "instances:\n  - ~\n",
            "conf.yaml:2:5: instances[0]: expected a mapping with openmetrics_endpoint, got nothing (null)");
        yield return Case("instance a string", "instances:\n  - http://x\n",
            "conf.yaml:2:5: instances[0]: expected a mapping with openmetrics_endpoint, got a string");
        yield return Case("several errors in one instance are all reported", Instance("timeout: 0", "tags: x", "tls_verify: 2"),
            "conf.yaml:3:14: instances[0].timeout: must be greater than 0 seconds, got '0'",
            "conf.yaml:4:11: instances[0].tags: expected a list of strings, got a string",
            "conf.yaml:5:17: instances[0].tls_verify: expected true or false, got '2' (YAML 1.2 booleans are only true and false)");
    }

    [TestCaseSource(nameof(Cases))]
    public void Reports_the_place_and_the_problem(string yaml, string[] expected)
    {
        using var dir = new TempDir();

        var config = LoadCheck(dir, yaml);

        Assert.Multiple(() =>
        {
            Assert.That(Render(config.Errors, dir), Is.EqualTo(expected));
            Assert.That(config.Instances, Is.Empty, "an instance with errors is left out");
            Assert.That(config.DeclaredInstanceCount, Is.EqualTo(1));
        });
    }

    private static TestCaseData Case(string name, string yaml, params string[] expected) =>
        new TestCaseData(yaml, expected).SetName(name);
}
