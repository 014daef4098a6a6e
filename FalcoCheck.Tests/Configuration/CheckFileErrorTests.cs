using FalcoCheck.Configuration;
using static FalcoCheck.Tests.Configuration.ConfigTestSupport;

namespace FalcoCheck.Tests.Configuration;

/// <summary>Errors about conf.yaml as a whole: its shape, its sections and broken YAML.</summary>
internal sealed class CheckFileErrorTests
{
    private const string NoInstances = "no instances; add at least one with openmetrics_endpoint: http://localhost:8765/metrics";
    private const string OneInstance = "instances:\n  - openmetrics_endpoint: http://localhost:8765/metrics\n";

    private static IEnumerable<TestCaseData> Cases()
    {
        yield return Case("instances missing", "init_config:\n", $"conf.yaml:1:1: instances: {NoInstances}");
        yield return Case("instances empty list", "init_config:\ninstances: []\n", $"conf.yaml:2:12: instances: {NoInstances}");
        yield return Case("instances null", "init_config:\ninstances:\n", $"conf.yaml:2:1: instances: {NoInstances}");
        yield return Case("empty file", string.Empty, $"conf.yaml:1:1: instances: {NoInstances}");
        yield return Case("comments only", "# nothing yet\n", $"conf.yaml:1:1: instances: {NoInstances}");
        yield return Case("instances a mapping", "instances: {openmetrics_endpoint: x}\n",
            "conf.yaml:1:12: instances: expected a list of instances, got a mapping");
        yield return Case("root a list", "- a\n", "conf.yaml:1:1: expected a mapping with init_config and instances, got a list");
        yield return Case("root a scalar", "hello\n", "conf.yaml:1:1: expected a mapping with init_config and instances, got a string");
        yield return Case("top-level key misspelt", "instance:\n  - openmetrics_endpoint: http://x\n",
            "conf.yaml:1:1: instance: unknown setting 'instance'; did you mean 'instances'?",
            $"conf.yaml:1:1: instances: {NoInstances}");
        yield return Case("init_config key misspelt", "init_config:\n  timeot: 5\n" + OneInstance,
            "conf.yaml:2:3: init_config.timeot: unknown setting 'timeot'; did you mean 'timeout'?");
        yield return Case("init_config a list", "init_config: [a]\n" + OneInstance,
            "conf.yaml:1:14: init_config: expected a mapping, got a list");
        yield return Case("init_config skip_proxy not a boolean", "init_config:\n  skip_proxy: maybe\n" + OneInstance,
            "conf.yaml:2:15: init_config.skip_proxy: expected true or false, got 'maybe' (YAML 1.2 booleans are only true and false)");
        yield return Case("init_config timeout negative", "init_config:\n  timeout: -3\n" + OneInstance,
            "conf.yaml:2:12: init_config.timeout: must be greater than 0 seconds, got '-3'");
        yield return Case("init_config service a list", "init_config:\n  service: [a]\n" + OneInstance,
            "conf.yaml:2:12: init_config.service: expected a string, got a list");
        yield return Case("init_config proxy bad", "init_config:\n  proxy:\n    http: nope\n" + OneInstance,
            "conf.yaml:3:11: init_config.proxy.http: expected an absolute URL such as http://host:port/");
        yield return Case("broken YAML", "init_config:\ninstances:\n  - a: b: c\n",
            "conf.yaml:3:9: While scanning a plain scalar value, found invalid mapping");
        yield return Case("unquoted %%env", "instances:\n  - openmetrics_endpoint: %%env_URL%%\n",
            "conf.yaml:2:27: While scanning for the next token, found character that cannot start any token; a value starting with '%' must be quoted, as in \"%%env_NAME%%\"");
        yield return Case("unterminated quote", "instances:\n  - openmetrics_endpoint: \"http://x\n",
            "conf.yaml:2:27: While scanning a quoted scalar, found unexpected end of stream");
        yield return Case("duplicate key", "init_config:\ninit_config:\n" + OneInstance, "conf.yaml:2:1: Duplicate key init_config");
        yield return Case("two documents", "instances: []\n---\ninstances: []\n",
            "conf.yaml:3:1: expected one YAML document, found 2 (remove the '---' separators)");

        // NOTE: YamlDotNet 18.1 throws a bare InvalidOperationException here; we report the end of the last
        // event it parsed. If an upgrade starts reporting a proper position, update this expectation.
        yield return Case("unterminated flow sequence", "instances: [a, b\nfoo: 1\n",
            "conf.yaml:1:14: invalid YAML after this point (is a '[' or '{' missing its closing bracket?)");
    }

    [TestCaseSource(nameof(Cases))]
    public void Reports_the_place_and_the_problem(string yaml, string[] expected)
    {
        using var dir = new TempDir();

        var config = LoadCheck(dir, yaml);

        Assert.That(Render(config.Errors, dir), Is.EqualTo(expected));
    }

    [Test]
    public void Missing_file_is_one_error_at_line_1_column_1()
    {
        using var dir = new TempDir();
        string path = Path.Combine(dir.Path, "falco.d", "conf.yaml");

        var config = ConfigLoader.LoadCheck(path, NoEnv);

        Assert.Multiple(() =>
        {
            Assert.That(config.Errors, Has.Count.EqualTo(1));
            Assert.That(config.Errors[0].Position, Is.EqualTo(new SourcePosition(path, 1, 1)));
            Assert.That(config.Errors[0].ToString(), Is.EqualTo($"{path}:1:1: file not found"));
            Assert.That(config.Instances, Is.Empty);
            Assert.That(config.SourceFile, Is.EqualTo(path));
        });
    }

    [Test]
    public void A_bad_instance_does_not_take_the_good_ones_down()
    {
        using var dir = new TempDir();
        const string yaml = """
            instances:
              - openmetrics_endpoint: http://falco-a:8765/metrics
                tags: [node:a]
              - openmetrics_endpoint: http://falco-b:8765/metrics
                timeout: -1
              - openmetrics_endpoint: http://falco-c:8765/metrics
                tls_verify: nope
              - openmetrics_endpoint: http://falco-d:8765/metrics
            """;

        var config = LoadCheck(dir, yaml);

        Assert.Multiple(() =>
        {
            Assert.That(config.DeclaredInstanceCount, Is.EqualTo(4));
            Assert.That(config.Instances.Select(i => (i.Index, i.Name)), Is.EqualTo(new[]
            {
                (0, "http://falco-a:8765/metrics"),
                (3, "http://falco-d:8765/metrics"),
            }));
            Assert.That(config.Errors.Select(e => e.SettingPath), Is.EqualTo(new[] { "instances[1].timeout", "instances[2].tls_verify" }));
            Assert.That(config.IsValid, Is.False);
        });
    }

    [Test]
    public void Errors_in_init_config_do_not_stop_instances_from_being_checked()
    {
        using var dir = new TempDir();

        var config = LoadCheck(dir, "init_config:\n  timeout: soon\n" + OneInstance.Replace("metrics\n", "metrics\n    tags: 5\n", StringComparison.Ordinal));

        Assert.That(Render(config.Errors, dir), Is.EqualTo(new[]
        {
            "conf.yaml:2:12: init_config.timeout: expected a number of seconds (such as 10 or 2.5), got 'soon'",
            "conf.yaml:5:11: instances[0].tags: expected a list of strings, got an integer",
        }));
    }

    private static TestCaseData Case(string name, string yaml, params string[] expected) =>
        new TestCaseData(yaml, expected).SetName(name);
}
