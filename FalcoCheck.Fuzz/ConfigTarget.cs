using FalcoCheck.Configuration;
using FalcoCheck.Runtime;

namespace FalcoCheck.Fuzz;

/// <summary>
/// A configuration file through both loaders, then every instance that loads through the settings factory (which
/// compiles regular expressions and proxies: what a valid-looking config would hit at run time).
/// <see cref="ConfigLoader.LoadCheck"/> and the factory may throw nothing; <see cref="ConfigLoader.LoadAgent(string?, Func{string, string?})"/>
/// only <see cref="ConfigException"/>.
/// </summary>
internal static class ConfigTarget
{
    // One file per process, rewritten for every input: the loaders read paths, not text.
    private static readonly string Folder = Directory.CreateTempSubdirectory("falcocheck-fuzz-").FullName;
    private static readonly string ConfigFile = Path.Combine(Folder, "conf.yaml");

    // %%env_NAME%% expands to a value unless NAME starts with UNSET, so both paths are reachable.
    private static string? Env(string name) => name.StartsWith("UNSET", StringComparison.Ordinal) ? null : "value-of-" + name;

    public static void Run(byte[] text)
    {
        File.WriteAllBytes(ConfigFile, text);
        CheckConfig check = ConfigLoader.LoadCheck(ConfigFile, Env);
        foreach (ConfigError error in check.Errors)
        {
            FuzzInvariantException.Check(error.Position.Line >= 1 && error.Position.Column >= 1, "error position");
        }

        var agent = new AgentConfig();
        foreach (InstanceConfig instance in check.Instances)
        {
            _ = InstanceSettingsFactory.Create(instance, agent);
        }

        try
        {
            _ = ConfigLoader.LoadAgent(ConfigFile, Env, []);
        }
        catch (ConfigException e)
        {
            FuzzInvariantException.Check(e.Errors.Count > 0, "a ConfigException carries its errors");
        }
    }
}
