using FalcoCheck.Configuration;

namespace FalcoCheck.Tests.Support;

/// <summary>Writes a falcocheck.yaml and conf.d/falco.d/conf.yaml into a temporary folder and loads them.</summary>
internal sealed class TestConfig : IDisposable
{
    public TestConfig(string instancesYaml, string? agentExtra = null, string initConfig = "init_config:\n")
    {
        Folder = Directory.CreateTempSubdirectory("falcocheck-test-").FullName;
        Directory.CreateDirectory(Path.Combine(Folder, "conf.d", "falco.d"));
        AgentPath = Path.Combine(Folder, "falcocheck.yaml");
        File.WriteAllText(AgentPath, "hostname: test-node\nstate_dir: ./state\n" + (agentExtra ?? "sinks:\n  - type: file\n    path: ./metrics.jsonl\n"));
        File.WriteAllText(Path.Combine(Folder, "conf.d", "falco.d", "conf.yaml"), initConfig + "instances:\n" + instancesYaml);
    }

    public string Folder { get; }

    public string AgentPath { get; }

    public string MetricsFile => Path.Combine(Folder, "metrics.jsonl");

    public (AgentConfig Agent, CheckConfig Check) Load(Func<string, string?>? getEnv = null)
    {
        var env = getEnv ?? (_ => null);
        var agent = ConfigLoader.LoadAgent(AgentPath, env);
        return (agent, ConfigLoader.LoadCheck(ConfigLoader.CheckConfigPath(agent), env));
    }

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}
