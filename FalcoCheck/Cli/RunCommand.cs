using System.CommandLine;
using FalcoCheck.Runtime;
using Microsoft.Extensions.Hosting;

namespace FalcoCheck.Cli;

/// <summary>
/// <c>falcocheck run</c>: the daemon. Every instance on its own schedule until SIGTERM or SIGINT, which finish
/// in-flight runs, flush the sinks within <c>shutdown_timeout</c> and exit 0; SIGHUP reloads the configuration.
/// </summary>
internal static class RunCommand
{
    public const string Name = "run";

    public static Command Create()
    {
        var config = new ConfigOptions();
        var command = new Command(Name, "Run every configured instance on its schedule until stopped (SIGHUP reloads the configuration)");
        config.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var path = parse.GetValue(config.Config);
            var (agent, check) = ConfigOptions.Load(path, Environment.GetEnvironmentVariable, Console.Error);
            if (agent is null || check is null)
            {
                return CheckRunner.ExitConfigError;
            }

            var options = new DaemonOptions
            {
                ConfigArgument = path,
                Agent = agent,
                Check = check,
                GetEnv = Environment.GetEnvironmentVariable,
                Console = Console.Out,
            };
            using var host = DaemonHost.Build(options, TimeProvider.System);
            try
            {
                // The host handles SIGTERM/SIGINT itself (Program turns System.CommandLine's handler off for `run`).
                await host.RunAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is InvalidOperationException or IOException)
            {
                // Also a spool folder held by another falcocheck process: one line, not a stack trace.
                await Console.Error.WriteLineAsync($"falcocheck run: {e.Message}").ConfigureAwait(false);
                return CheckRunner.ExitCritical;
            }

            return CheckRunner.ExitOk;
        });
        return command;
    }
}
