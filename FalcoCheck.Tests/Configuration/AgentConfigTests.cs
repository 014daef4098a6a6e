using FalcoCheck.Configuration;
using static FalcoCheck.Tests.Configuration.ConfigTestSupport;

namespace FalcoCheck.Tests.Configuration;

/// <summary>The agent file: values, defaults, the search path, DD_* overrides and every error.</summary>
internal sealed class AgentConfigTests
{
    private const string Levels = "trace, debug, info, warn, error, off";
    private const string SiteMessage = "expected a Datadog site such as datadoghq.com or datadoghq.eu, without https:// or a path";

    private static IEnumerable<TestCaseData> Errors()
    {
        yield return Case("unknown key suggests", "hostnme: x\n",
            "falcocheck.yaml:1:1: hostnme: unknown setting 'hostnme'; did you mean 'hostname'?");
        yield return Case("unknown key far from any known one", "kerberos_auth: x\n",
            "falcocheck.yaml:1:1: kerberos_auth: unknown setting 'kerberos_auth'");
        yield return Case("hostname with a space", "hostname: 'bad host'\n",
            "falcocheck.yaml:1:11: hostname: expected a host name of at most 255 letters, digits, '-', '_' and '.'");
        yield return Case("hostname a list", "hostname: [a]\n", "falcocheck.yaml:1:11: hostname: expected a string, got a list");
        yield return Case("tags item a list", "tags: [a, [b]]\n", "falcocheck.yaml:1:11: tags[1]: expected a string, got a list");
        yield return Case("sinks a string", "sinks: console\n", "falcocheck.yaml:1:8: sinks: expected a list of sinks, got a string");
        yield return Case("sink item a string", "sinks:\n  - console\n", "falcocheck.yaml:2:5: sinks[0]: expected a mapping with type, got a string");
        yield return Case("sink type misspelt", "sinks:\n  - type: consol\n",
            "falcocheck.yaml:2:11: sinks[0].type: unknown sink type 'consol'; expected one of console, file, datadog, dogstatsd, prometheus_remote_write, otlp; did you mean 'console'?");
        yield return Case("sink type unknown", "sinks:\n  - type: kafka\n",
            "falcocheck.yaml:2:11: sinks[0].type: unknown sink type 'kafka'; expected one of console, file, datadog, dogstatsd, prometheus_remote_write, otlp");
        yield return Case("sink type missing", "sinks:\n  - format: json\n",
            "falcocheck.yaml:2:5: sinks[0].type: required setting is missing; expected one of console, file, datadog, dogstatsd, prometheus_remote_write, otlp");
        yield return Case("file sink without path", "sinks:\n  - type: file\n", "falcocheck.yaml:2:5: sinks[0].path: required setting is missing");
        yield return Case("console format unknown", "sinks:\n  - type: console\n    format: xml\n",
            "falcocheck.yaml:3:13: sinks[0].format: expected one of table, json, got 'xml'");
        yield return Case("console sink with a file key", "sinks:\n  - type: console\n    path: x\n",
            "falcocheck.yaml:3:5: sinks[0].path: unknown setting 'path'; expected one of type, format");
        yield return Case("second sink bad, index in path", "sinks:\n  - type: console\n  - type: file\n    path: [x]\n",
            "falcocheck.yaml:4:11: sinks[1].path: expected a string, got a list");
        yield return Case("log_level warning", "log_level: warning\n",
            $"falcocheck.yaml:1:12: log_level: expected one of {Levels}, got 'warning'; did you mean 'warn'?");
        yield return Case("log_level verbose", "log_level: verbose\n", $"falcocheck.yaml:1:12: log_level: expected one of {Levels}, got 'verbose'");
        yield return Case("max_concurrent_scrapes zero", "max_concurrent_scrapes: 0\n",
            "falcocheck.yaml:1:25: max_concurrent_scrapes: must be between 1 and 1024, got 0");
        yield return Case("max_concurrent_scrapes a word", "max_concurrent_scrapes: many\n",
            "falcocheck.yaml:1:25: max_concurrent_scrapes: expected an integer, got 'many'");
        yield return Case("state_dir a list", "state_dir: [a]\n", "falcocheck.yaml:1:12: state_dir: expected a string, got a list");
        yield return Case("confd_path a boolean", "confd_path: true\n",
            "falcocheck.yaml:1:13: confd_path: expected a string, got a boolean; quote it if you mean the text");
        yield return Case("api_key a mapping", "api_key: {a: b}\n", "falcocheck.yaml:1:10: api_key: expected a string, got a mapping");
        yield return Case("site with scheme", "site: https://datadoghq.eu\n", $"falcocheck.yaml:1:7: site: {SiteMessage}");
        yield return Case("root a list", "- a\n", "falcocheck.yaml:1:1: expected a mapping of agent settings, got a list");
        yield return Case("broken YAML", "hostname: [a\n", "falcocheck.yaml:2:1: While parsing a flow sequence, did not find expected ',' or ']'");
        yield return Case("missing environment variable", "hostname: \"%%env_NODE_NAME%%\"\n",
            "falcocheck.yaml:1:11: hostname: environment variable 'NODE_NAME' is not set (used as %%env_NODE_NAME%%)");
        yield return Case("all errors are collected", "log_level: loud\nmax_concurrent_scrapes: -1\nsinks: {}\n",
            $"falcocheck.yaml:1:12: log_level: expected one of {Levels}, got 'loud'",
            "falcocheck.yaml:2:25: max_concurrent_scrapes: must be between 1 and 1024, got -1",
            "falcocheck.yaml:3:8: sinks: expected a list of sinks, got a mapping");
    }

    [TestCaseSource(nameof(Errors))]
    public void Reports_the_place_and_the_problem(string yaml, string[] expected)
    {
        using var dir = new TempDir();
        string path = dir.Write("falcocheck.yaml", yaml);

        var e = Assert.Throws<ConfigException>(() => ConfigLoader.LoadAgent(path, NoEnv));

        Assert.Multiple(() =>
        {
            Assert.That(Render(e!.Errors, dir), Is.EqualTo(expected));
            Assert.That(e.Message, Is.EqualTo(string.Join(Environment.NewLine, e.Errors)), "the message lists every error, one per line");
        });
    }

    [Test]
    public void Reads_every_setting()
    {
        const string yaml = """
            hostname: falco-1
            tags: [env:prod, team:sec]
            sinks:
              - type: console
                format: json
              - type: file
                path: out/metrics.jsonl
            state_dir: /var/lib/falcocheck
            log_level: debug
            confd_path: conf.d
            api_key: "%%env_KEY%%"
            site: datadoghq.eu
            max_concurrent_scrapes: 4
            """;
        using var dir = new TempDir();
        string path = dir.Write("falcocheck.yaml", yaml);

        var agent = ConfigLoader.LoadAgent(path, Env(("KEY", "abc123")));

        Assert.Multiple(() =>
        {
            Assert.That(agent.SourceFile, Is.EqualTo(path));
            Assert.That(agent.Hostname, Is.EqualTo("falco-1"));
            Assert.That(agent.Tags, Is.EqualTo(new[] { "env:prod", "team:sec" }));
            Assert.That(agent.Sinks, Is.EqualTo(new SinkConfig[]
            {
                new ConsoleSinkConfig(new SourcePosition(path, 4, 5), ConsoleFormat.Json),
                new FileSinkConfig(new SourcePosition(path, 6, 5), Path.Combine(dir.Path, "out", "metrics.jsonl")),
            }));
            Assert.That(agent.Sinks[1].Type, Is.EqualTo("file"));
            Assert.That(agent.StateDir, Is.EqualTo("/var/lib/falcocheck"));
            Assert.That(agent.LogLevel, Is.EqualTo("debug"));
            Assert.That(agent.ConfdPath, Is.EqualTo(Path.Combine(dir.Path, "conf.d")));
            Assert.That(ConfigLoader.CheckConfigPath(agent), Is.EqualTo(Path.Combine(dir.Path, "conf.d", "falco.d", "conf.yaml")));
            Assert.That(agent.ApiKey?.Reveal(), Is.EqualTo("abc123"));
            Assert.That(agent.Site, Is.EqualTo("datadoghq.eu"));
            Assert.That(agent.MaxConcurrentScrapes, Is.EqualTo(4));
        });
    }

    [Test]
    public void Defaults_resolve_beside_the_file()
    {
        using var dir = new TempDir();
        string path = dir.Write("etc/falcocheck.yaml", "# all defaults\n");

        var agent = ConfigLoader.LoadAgent(path, NoEnv);

        Assert.Multiple(() =>
        {
            Assert.That(agent.Hostname, Is.EqualTo(Environment.MachineName));
            Assert.That(agent.Tags, Is.Empty);
            Assert.That(agent.Sinks, Has.Count.EqualTo(1));
            Assert.That(agent.Sinks[0], Is.TypeOf<ConsoleSinkConfig>().With.Property("Format").EqualTo(ConsoleFormat.Table));
            Assert.That(agent.StateDir, Is.EqualTo(Path.Combine(dir.Path, "etc", "state")));
            Assert.That(agent.ConfdPath, Is.EqualTo(Path.Combine(dir.Path, "etc", "conf.d")));
            Assert.That(agent.LogLevel, Is.EqualTo("info"));
            Assert.That(agent.ApiKey, Is.Null);
            Assert.That(agent.Site, Is.EqualTo("datadoghq.com"));
            Assert.That(agent.MaxConcurrentScrapes, Is.EqualTo(8));
        });
    }

    [Test]
    public void An_empty_sink_list_means_no_sinks()
    {
        using var dir = new TempDir();

        var agent = ConfigLoader.LoadAgent(dir.Write("falcocheck.yaml", "sinks: []\n"), NoEnv);

        Assert.That(agent.Sinks, Is.Empty);
    }

    [Test]
    public void No_file_anywhere_gives_the_defaults()
    {
        using var dir = new TempDir();

        var agent = ConfigLoader.LoadAgent(null, NoEnv, [Path.Combine(dir.Path, "missing.yaml")]);

        Assert.Multiple(() =>
        {
            Assert.That(agent.SourceFile, Is.EqualTo("<default>"));
            Assert.That(agent.StateDir, Is.EqualTo(Path.GetFullPath("state")));
            Assert.That(agent.ConfdPath, Is.EqualTo(Path.GetFullPath("conf.d")));
            Assert.That(agent.Sinks.Single(), Is.TypeOf<ConsoleSinkConfig>());
        });
    }

    private static IEnumerable<TestCaseData> SearchOrder()
    {
        yield return new TestCaseData(new[] { false, true }, 1).SetName("first missing, second used");
        yield return new TestCaseData(new[] { true, true }, 0).SetName("first wins when both exist");
    }

    [TestCaseSource(nameof(SearchOrder))]
    public void Searches_the_default_paths_in_order(bool[] exists, int expected)
    {
        using var dir = new TempDir();
        string[] candidates = [Path.Combine(dir.Path, "a", "falcocheck.yaml"), Path.Combine(dir.Path, "b", "falcocheck.yaml")];
        for (int i = 0; i < candidates.Length; i++)
        {
            if (exists[i])
            {
                dir.Write(Path.Combine(i == 0 ? "a" : "b", "falcocheck.yaml"), $"hostname: host-{i}\n");
            }
        }

        var agent = ConfigLoader.LoadAgent(null, NoEnv, candidates);

        Assert.That((agent.SourceFile, agent.Hostname), Is.EqualTo((candidates[expected], $"host-{expected}")));
    }

    [Test]
    public void An_explicit_path_that_does_not_exist_is_an_error()
    {
        using var dir = new TempDir();
        string path = Path.Combine(dir.Path, "nope.yaml");

        var e = Assert.Throws<ConfigException>(() => ConfigLoader.LoadAgent(path, NoEnv));

        Assert.That(e!.Errors.Select(x => x.ToString()), Is.EqualTo(new[] { $"{path}:1:1: file not found" }));
    }

    private static IEnumerable<TestCaseData> Overrides()
    {
        const string File = "hostname: from-file\nsite: datadoghq.eu\napi_key: file-key\n";
        yield return new TestCaseData(File, Env(("DD_HOSTNAME", "from-env")), "from-env", "datadoghq.eu", "file-key").SetName("DD_HOSTNAME wins over hostname");
        yield return new TestCaseData(File, Env(("DD_SITE", "us5.datadoghq.com")), "from-file", "us5.datadoghq.com", "file-key").SetName("DD_SITE wins over site");
        yield return new TestCaseData(File, Env(("DD_API_KEY", "env-key")), "from-file", "datadoghq.eu", "env-key").SetName("DD_API_KEY wins over api_key");
        yield return new TestCaseData(File, Env(("DD_HOSTNAME", ""), ("DD_SITE", " ")), "from-file", "datadoghq.eu", "file-key").SetName("empty variables do not override");
        yield return new TestCaseData(string.Empty, Env(("DD_HOSTNAME", "h"), ("DD_SITE", "ap1.datadoghq.com"), ("DD_API_KEY", "k")), "h", "ap1.datadoghq.com", "k").SetName("variables apply without the settings");
    }

    [TestCaseSource(nameof(Overrides))]
    public void Datadog_environment_overrides(string yaml, Func<string, string?> env, string hostname, string site, string apiKey)
    {
        using var dir = new TempDir();

        var agent = ConfigLoader.LoadAgent(dir.Write("falcocheck.yaml", yaml), env);

        Assert.That((agent.Hostname, agent.Site, agent.ApiKey?.Reveal()), Is.EqualTo((hostname, site, apiKey)));
    }

    [Test]
    public void Overrides_apply_to_the_built_in_defaults_too()
    {
        var agent = ConfigLoader.LoadAgent(null, Env(("DD_HOSTNAME", "pod-7"), ("DD_API_KEY", "k")), []);

        Assert.That((agent.Hostname, agent.ApiKey?.Reveal()), Is.EqualTo(("pod-7", "k")));
    }

    [Test]
    public void A_bad_override_names_the_variable()
    {
        var e = Assert.Throws<ConfigException>(() =>
            ConfigLoader.LoadAgent(null, Env(("DD_SITE", "https://app.datadoghq.eu"), ("DD_HOSTNAME", "a b")), []));

        Assert.That(e!.Errors.Select(x => x.ToString()), Is.EqualTo(new[]
        {
            "$DD_HOSTNAME:1:1: hostname: expected a host name of at most 255 letters, digits, '-', '_' and '.'",
            $"$DD_SITE:1:1: site: {SiteMessage}",
        }));
    }

    private static TestCaseData Case(string name, string yaml, params string[] expected) =>
        new TestCaseData(yaml, expected).SetName(name);
}
