using System.CommandLine;
using FalcoCheck.Configuration;

namespace FalcoCheck.Cli;

/// <summary>The <c>--config</c> option shared by the commands that read falcocheck.yaml, and the loading it implies.</summary>
internal sealed class ConfigOptions
{
    public Option<string?> Config { get; } = new("--config", "-c")
    {
        Description = "Agent config file (default: ./falcocheck.yaml, then /etc/falcocheck/falcocheck.yaml)",
    };

    public void AddTo(Command command) => command.Options.Add(Config);

    /// <summary>Loads the agent config and the check config it points to; config errors go to <paramref name="errors"/>.</summary>
    public static (AgentConfig? Agent, CheckConfig? Check) Load(string? path, Func<string, string?> getEnv, TextWriter errors)
    {
        AgentConfig agent;
        try
        {
            agent = ConfigLoader.LoadAgent(path, getEnv);
        }
        catch (ConfigException e)
        {
            foreach (var error in e.Errors)
            {
                errors.WriteLine(error.ToString());
            }

            return (null, null);
        }

        return (agent, ConfigLoader.LoadCheck(agent, getEnv));
    }
}
