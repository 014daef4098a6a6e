using FalcoCheck.Configuration;
using static FalcoCheck.Tests.Configuration.ConfigTestSupport;

namespace FalcoCheck.Tests.Configuration;

/// <summary><c>%%env_NAME%%</c> in any string, and typed values that come from the environment.</summary>
internal sealed class EnvExpansionTests
{
    private static readonly Func<string, string?> Environment = Env(
        ("FALCO_HOST", "falco-7"), ("PORT", "8765"), ("T", "2.5"), ("ON", "true"), ("EMPTY", string.Empty), ("TEAM", "sec"));

    private static IEnumerable<TestCaseData> Expansions()
    {
        yield return Case("whole endpoint", "openmetrics_endpoint: \"http://%%env_FALCO_HOST%%:%%env_PORT%%/metrics\"",
            i => i.OpenMetricsEndpoint.ToString(), "http://falco-7:8765/metrics");
        yield return Case("inside a plain list item", "tags: [team:%%env_TEAM%%]", i => i.Tags[0], "team:sec");
        yield return Case("a number of seconds", "timeout: \"%%env_T%%\"", i => i.Timeout, TimeSpan.FromSeconds(2.5));
        yield return Case("a boolean", "use_latest_spec: \"%%env_ON%%\"", i => i.UseLatestSpec, true);
        yield return Case("a header value", "extra_headers: {X-Host: \"%%env_FALCO_HOST%%\"}", i => i.ExtraHeaders["X-Host"], "falco-7");
        yield return Case("a map value", "rename_labels: {hostname: \"%%env_FALCO_HOST%%\"}", i => i.RenameLabels["hostname"], "falco-7");
        yield return Case("text without a reference is untouched", "service: \"100%% sure\"", i => i.Service, "100%% sure");
        yield return Case("an empty variable inside text", "service: \"falco%%env_EMPTY%%\"", i => i.Service, "falco");
    }

    [TestCaseSource(nameof(Expansions))]
    public void Expands(string option, Func<InstanceConfig, object?> get, object expected)
    {
        using var dir = new TempDir();
        string yaml = option.StartsWith("openmetrics_endpoint", StringComparison.Ordinal)
            ? "instances:\n  - " + option + "\n"
            : Instance(option);

        var config = LoadCheck(dir, yaml, Environment);

        Assert.That(config.Errors, Is.Empty, () => string.Join(System.Environment.NewLine, config.Errors));
        Assert.That(get(config.Instances.Single()), Is.EqualTo(expected));
    }

    private static IEnumerable<TestCaseData> Failures()
    {
        yield return Failure("missing variable", Instance("service: \"%%env_NOPE%%\""),
            "conf.yaml:3:14: instances[0].service: environment variable 'NOPE' is not set (used as %%env_NOPE%%)");
        yield return Failure("two missing variables in one value", Instance("service: \"%%env_A%%-%%env_B%%\""),
            "conf.yaml:3:14: instances[0].service: environment variable 'A' is not set (used as %%env_A%%)",
            "conf.yaml:3:14: instances[0].service: environment variable 'B' is not set (used as %%env_B%%)");
        yield return Failure("missing variable in a list", Instance("tags: [a, \"%%env_NOPE%%\"]"),
            "conf.yaml:3:15: instances[0].tags[1]: environment variable 'NOPE' is not set (used as %%env_NOPE%%)");
        yield return Failure("empty variable for a whole value", Instance("service: \"%%env_EMPTY%%\""),
            "conf.yaml:3:14: instances[0].service: must not be empty (the environment variable is empty)");
        yield return Failure("variable that is not a number", Instance("timeout: \"%%env_FALCO_HOST%%\""),
            "conf.yaml:3:14: instances[0].timeout: expected a number of seconds (such as 10 or 2.5), got 'falco-7'");
        yield return Failure("a %%…%% inside a password is not repeated", Instance("username: u", "password: \"Xy%%k9z%%w\""),
            "conf.yaml:4:15: instances[0].password: a %%…%% reference FalcoCheck does not resolve (the text is not repeated: it may be a secret); only %%env_NAME%% is supported");
        yield return Failure("Autodiscovery variable", Instance("tags: [\"pod:%%kube_pod_name%%\"]"),
            "conf.yaml:3:12: instances[0].tags[0]: '%%kube_pod_name%%' is an Autodiscovery template variable, which FalcoCheck does not resolve; only %%env_NAME%% is supported");
        yield return Failure("env_ with no name", Instance("service: \"%%env_%%\""),
            "conf.yaml:3:14: instances[0].service: '%%env_%%' is an Autodiscovery template variable, which FalcoCheck does not resolve; only %%env_NAME%% is supported");
    }

    [TestCaseSource(nameof(Failures))]
    public void Reports(string yaml, string[] expected)
    {
        using var dir = new TempDir();

        var config = LoadCheck(dir, yaml, Environment);

        Assert.That(Render(config.Errors, dir), Is.EqualTo(expected));
    }

    [Test]
    public void Uses_only_the_injected_lookup()
    {
        var asked = new List<string>();
        using var dir = new TempDir();

        LoadCheck(dir, Instance("service: \"%%env_PATH%%\""), name =>
        {
            asked.Add(name);
            return "injected";
        });

        Assert.That(asked, Is.EqualTo(new[] { "PATH" }));
    }

    private static TestCaseData Case(string name, string option, Func<InstanceConfig, object?> get, object expected) =>
        new TestCaseData(option, get, expected).SetName(name);

    private static TestCaseData Failure(string name, string yaml, params string[] expected) =>
        new TestCaseData(yaml, expected).SetName(name);
}
