using FalcoCheck.Configuration;
using static FalcoCheck.Tests.Configuration.ConfigTestSupport;

namespace FalcoCheck.Tests.Configuration;

/// <summary>Secrets (passwords, keys, header values, user-info) never reach an error message or a ToString.</summary>
internal sealed class SecretTests
{
    private const string Secret = "S3cr3t-Value";

    private static IEnumerable<TestCaseData> BadCheckFiles()
    {
        yield return Case("password of the wrong type (list)", Instance("username: u", $"password: [{Secret}]"));
        yield return Case("password of the wrong type (mapping)", Instance("username: u", $"password: {{{Secret}: 1}}"));
        yield return Case("password without username", Instance($"password: {Secret}"));
        yield return Case("password from the environment without username", Instance("password: \"%%env_PW%%\""));
        yield return Case("password beside a misspelt key", Instance($"pasword: {Secret}"));
        yield return Case("header with a bad name", Instance($"headers: {{X Token: {Secret}}}"));
        yield return Case("header value with a line break", Instance($"headers: {{X-Token: \"{Secret}\\nx\"}}"));
        yield return Case("header given twice", Instance($"extra_headers: {{X-Token: {Secret}, x-token: {Secret}}}"));
        yield return Case("endpoint with user-info and a bad scheme", $"instances:\n  - openmetrics_endpoint: ftp://user:{Secret}@host/\n");
        yield return Case("endpoint with a token in the query and a bad port", $"instances:\n  - openmetrics_endpoint: http://host:99999/?token={Secret}\n");
        yield return Case("proxy with user-info and a bad scheme", Instance($"proxy: {{http: 'ftp://u:{Secret}@p:21'}}"));
        yield return Case("bad YAML after a secret", Instance($"password: {Secret}", "username: [u"));
    }

    [TestCaseSource(nameof(BadCheckFiles))]
    public void Check_errors_never_contain_the_secret(string yaml)
    {
        using var dir = new TempDir();

        var config = LoadCheck(dir, yaml, Env(("PW", Secret)));

        Assert.Multiple(() =>
        {
            Assert.That(config.Errors, Is.Not.Empty, "the case must produce an error to prove anything");
            Assert.That(config.Errors.Select(e => e.ToString()), Has.None.Contains(Secret));
            Assert.That(config.Errors.Select(e => e.SettingPath), Has.None.Contains(Secret));
        });
    }

    private static IEnumerable<TestCaseData> BadAgentFiles()
    {
        yield return Case("api_key of the wrong type", $"api_key: [{Secret}]\n");
        yield return Case("api_key beside other errors", $"api_key: {Secret}\nlog_level: loud\n");
        yield return Case("api_key misspelt", $"apikey: {Secret}\n");
    }

    [TestCaseSource(nameof(BadAgentFiles))]
    public void Agent_errors_never_contain_the_secret(string yaml)
    {
        using var dir = new TempDir();
        string path = dir.Write("falcocheck.yaml", yaml);

        var e = Assert.Throws<ConfigException>(() => ConfigLoader.LoadAgent(path, NoEnv));

        Assert.That(e!.Message, Does.Not.Contain(Secret));
    }

    [Test]
    public void Loaded_configs_print_no_secrets()
    {
        using var dir = new TempDir();
        string yaml = $"""
            instances:
              - openmetrics_endpoint: https://falco:{Secret}@falco:8765/metrics?key={Secret}
                username: falco
                password: {Secret}
                headers: {"{"}X-Token: {Secret}{"}"}
                proxy:
                  http: http://u:{Secret}@proxy:3128
            """;

        var config = LoadCheck(dir, yaml);

        Assert.That(config.Errors, Is.Empty, () => string.Join(Environment.NewLine, config.Errors));
        var instance = config.Instances.Single();
        Assert.Multiple(() =>
        {
            Assert.That(instance.ToString(), Does.Not.Contain(Secret));
            Assert.That(instance.ToString(), Does.Contain("https://falco:8765/metrics"));
            Assert.That(instance.Password!.ToString(), Is.EqualTo("********"));
            Assert.That($"{instance.Password}", Is.EqualTo("********"));
            Assert.That(instance.Proxy!.ToString(), Does.Not.Contain(Secret).And.Contain("http://proxy:3128"));
            Assert.That(config.ToString(), Does.Not.Contain(Secret));
            Assert.That(instance.Password.Reveal(), Is.EqualTo(Secret), "the sender still gets the real value");
        });
    }

    [Test]
    public void Agent_config_prints_the_api_key_masked()
    {
        var agent = new AgentConfig { ApiKey = new Secret(Secret) };

        Assert.That(agent.ToString(), Does.Not.Contain(Secret).And.Contain("ApiKey = ********"));
    }

    [Test]
    public void Secrets_compare_by_value()
    {
        var one = new Secret("a");
        var same = new Secret("a");

        Assert.Multiple(() =>
        {
            Assert.That(one, Is.EqualTo(same));
            Assert.That(one, Is.Not.EqualTo(new Secret("b")));
            Assert.That(one.GetHashCode(), Is.EqualTo(same.GetHashCode()));
        });
    }

    private static TestCaseData Case(string name, string yaml) => new TestCaseData(yaml).SetName(name);
}
