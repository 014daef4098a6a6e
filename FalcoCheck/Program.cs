using System.CommandLine;
using FalcoCheck.Cli;

namespace FalcoCheck;

internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var root = new RootCommand("FalcoCheck: Falco's metrics, mapped to falco.* and submitted to your metrics backend")
        {
            CheckCommand.Create(),
            ValidateCommand.Create(),
            DemoCommand.Create(),
            ReplayCommand.Create(),
            RunCommand.Create(),
            StatusCommand.Create(),
            AlertsCommand.Create(),
            BenchCommand.Create(),
            ConfigCommand.Create(),
        };

        try
        {
            var parse = root.Parse(args);
            // `run` stops on SIGTERM/SIGINT through the Generic Host, within shutdown_timeout; System.CommandLine's
            // own handler would end the process with 143 after its two-second ProcessTerminationTimeout.
            var invocation = parse.CommandResult.Command.Name == RunCommand.Name
                ? new InvocationConfiguration { ProcessTerminationTimeout = null }
                : new InvocationConfiguration();
            return await parse.InvokeAsync(invocation).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            // Anything that escapes the commands is reported in one line, not a stack trace.
            await Console.Error.WriteLineAsync($"falcocheck: {e.Message}").ConfigureAwait(false);
            return 1;
        }
    }
}
