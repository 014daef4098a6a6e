using System.Net;
using FalcoCheck.Configuration;
using static FalcoCheck.Tests.Configuration.ConfigTestSupport;

namespace FalcoCheck.Tests.Configuration;

/// <summary>The agent settings of <c>falcocheck run</c>: watch_config, status, state_flush_interval, shutdown_timeout.</summary>
internal sealed class DaemonConfigTests
{
    private const string ListenMessage = "expected an IP address and port such as 127.0.0.1:8766 or [::1]:8766";

    private static IEnumerable<TestCaseData> Errors()
    {
        yield return Case("watch_config a word", "watch_config: yes\n",
            "falcocheck.yaml:1:15: watch_config: expected true or false, got 'yes' (YAML 1.2 booleans are only true and false)");
        yield return Case("status a list", "status: [a]\n", "falcocheck.yaml:1:9: status: expected a mapping, got a list");
        yield return Case("status key misspelt", "status:\n  listn: 127.0.0.1:1\n",
            "falcocheck.yaml:2:3: status.listn: unknown setting 'listn'; did you mean 'listen'?");
        yield return Case("listen without a port", "status:\n  listen: 127.0.0.1\n", $"falcocheck.yaml:2:11: status.listen: {ListenMessage}, got '127.0.0.1'");
        yield return Case("listen with a host name", "status:\n  listen: falco.local:8766\n", $"falcocheck.yaml:2:11: status.listen: {ListenMessage}, got 'falco.local:8766'");
        yield return Case("listen port out of range", "status:\n  listen: 127.0.0.1:70000\n", $"falcocheck.yaml:2:11: status.listen: {ListenMessage}, got '127.0.0.1:70000'");
        yield return Case("listen port zero", "status:\n  listen: 127.0.0.1:0\n", $"falcocheck.yaml:2:11: status.listen: {ListenMessage}, got '127.0.0.1:0'");
        yield return Case("listen IPv6 without brackets", "status:\n  listen: '::1:8766'\n", $"falcocheck.yaml:2:11: status.listen: {ListenMessage}, got '::1:8766'");
        yield return Case("status enabled a word", "status:\n  enabled: off\n",
            "falcocheck.yaml:2:12: status.enabled: expected true or false, got 'off' (YAML 1.2 booleans are only true and false)");
        yield return Case("state_flush_interval zero", "state_flush_interval: 0\n", "falcocheck.yaml:1:23: state_flush_interval: must be greater than 0 seconds, got '0'");
        yield return Case("shutdown_timeout a word", "shutdown_timeout: long\n",
            "falcocheck.yaml:1:19: shutdown_timeout: expected a number of seconds (such as 10 or 2.5), got 'long'");
    }

    private static IEnumerable<TestCaseData> Listens()
    {
        yield return new TestCaseData("127.0.0.1:8766", new IPEndPoint(IPAddress.Loopback, 8766)).SetName("IPv4 loopback");
        yield return new TestCaseData("localhost:9000", new IPEndPoint(IPAddress.Loopback, 9000)).SetName("localhost is loopback");
        yield return new TestCaseData("[::1]:8766", new IPEndPoint(IPAddress.IPv6Loopback, 8766)).SetName("IPv6 loopback in brackets");
        yield return new TestCaseData("0.0.0.0:8766", new IPEndPoint(IPAddress.Any, 8766)).SetName("every interface, when asked for");
    }

    [TestCaseSource(nameof(Errors))]
    public void Reports_the_place_and_the_problem(string yaml, string[] expected)
    {
        using var dir = new TempDir();
        string path = dir.Write("falcocheck.yaml", yaml);

        var e = Assert.Throws<ConfigException>(() => ConfigLoader.LoadAgent(path, NoEnv));

        Assert.That(Render(e!.Errors, dir), Is.EqualTo(expected));
    }

    [TestCaseSource(nameof(Listens))]
    public void Reads_status_listen(string listen, IPEndPoint expected)
    {
        using var dir = new TempDir();

        var agent = ConfigLoader.LoadAgent(dir.Write("falcocheck.yaml", $"status:\n  listen: \"{listen}\"\n"), NoEnv);

        Assert.That(agent.Status.Listen, Is.EqualTo(expected));
    }

    [Test]
    public void Reads_every_daemon_setting()
    {
        const string yaml = """
            watch_config: true
            status:
              enabled: false
              listen: 127.0.0.1:9100
            state_flush_interval: 5
            shutdown_timeout: 12.5
            """;
        using var dir = new TempDir();

        var agent = ConfigLoader.LoadAgent(dir.Write("falcocheck.yaml", yaml), NoEnv);

        Assert.Multiple(() =>
        {
            Assert.That(agent.WatchConfig, Is.True);
            Assert.That(agent.Status, Is.EqualTo(new StatusConfig { Enabled = false, Listen = new IPEndPoint(IPAddress.Loopback, 9100) }));
            Assert.That(agent.StateFlushInterval, Is.EqualTo(TimeSpan.FromSeconds(5)));
            Assert.That(agent.ShutdownTimeout, Is.EqualTo(TimeSpan.FromSeconds(12.5)));
        });
    }

    [Test]
    public void Defaults_keep_the_status_endpoint_on_loopback()
    {
        using var dir = new TempDir();

        var agent = ConfigLoader.LoadAgent(dir.Write("falcocheck.yaml", "hostname: a\n"), NoEnv);

        Assert.Multiple(() =>
        {
            Assert.That(agent.WatchConfig, Is.False);
            Assert.That(agent.Status.Enabled, Is.True);
            Assert.That(IPAddress.IsLoopback(agent.Status.Listen.Address), Is.True);
            Assert.That(agent.Status.Listen.Port, Is.EqualTo(StatusConfig.DefaultPort));
            Assert.That(agent.Status.BaseUrl.ToString(), Is.EqualTo("http://127.0.0.1:8766/"));
            Assert.That(agent.StateFlushInterval, Is.EqualTo(TimeSpan.FromSeconds(60)));
            Assert.That(agent.ShutdownTimeout, Is.EqualTo(TimeSpan.FromSeconds(30)));
        });
    }

    [Test]
    public void The_shipped_agent_example_documents_the_daemon_settings()
    {
        var agent = ConfigLoader.LoadAgent(Path.Combine(RepoRoot(), "samples", "falcocheck.yaml"), NoEnv);

        Assert.That(agent.Status, Is.EqualTo(new StatusConfig()));
        Assert.That(agent.StateFlushInterval, Is.EqualTo(AgentConfig.DefaultStateFlushInterval));
        Assert.That(agent.ShutdownTimeout, Is.EqualTo(AgentConfig.DefaultShutdownTimeout));
        Assert.That(File.ReadAllText(Path.Combine(RepoRoot(), "samples", "falcocheck.yaml")), Does.Contain("watch_config:"));
    }

    private static TestCaseData Case(string name, string yaml, params string[] expected) =>
        new TestCaseData(yaml, expected).SetName(name);
}
