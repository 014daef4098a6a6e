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
            AlertsCommand.Create(),
            BenchCommand.Create(),
        };

        try
        {
            return await root.Parse(args).InvokeAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            // Anything that escapes the commands is reported in one line, not a stack trace.
            await Console.Error.WriteLineAsync($"falcocheck: {e.Message}").ConfigureAwait(false);
            return 1;
        }
    }
}
