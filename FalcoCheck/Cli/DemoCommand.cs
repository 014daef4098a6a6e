using System.CommandLine;
using System.Globalization;
using FalcoCheck.Demo;
using FalcoCheck.Runtime;

namespace FalcoCheck.Cli;

/// <summary>
/// <c>falcocheck demo</c>: the whole check on an embedded default, with nothing else running. Serves the real
/// Falco payloads on a free loopback port, writes the demo config to a temporary folder and runs
/// <c>check --rate</c> against it, so counts show.
/// </summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print JSON lines instead of a table" };
        var interval = RateIntervalOption.Create("Seconds between the two scrapes", @default: 1.0);
        var command = new Command("demo", "Run the check against recorded Falco payloads served on 127.0.0.1 (needs nothing else)");
        command.Options.Add(json);
        command.Options.Add(interval);
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var server = ReplayServer.StartEmbedded();
            var folder = Path.Combine(Path.GetTempPath(), "falcocheck-demo-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
            var configPath = WriteDemoConfig(folder);
            var port = server.Port.ToString(CultureInfo.InvariantCulture);
            string? GetEnv(string name) => name == "FALCOCHECK_DEMO_PORT" ? port : Environment.GetEnvironmentVariable(name);

            Console.Error.WriteLine($"demo: serving recorded Falco payloads at {server.BaseUrl}, config in {folder}");
            var (agent, check) = ConfigOptions.Load(configPath, GetEnv, Console.Error);
            if (agent is null || check is null)
            {
                return CheckRunner.ExitConfigError;
            }

            var options = new CheckRunOptions
            {
                Json = parse.GetValue(json),
                Rate = true,
                RateInterval = TimeSpan.FromSeconds(parse.GetValue(interval) ?? 1.0),
            };
            var exit = await new CheckRunner(agent, check, Console.Out, Console.Error, TimeProvider.System).RunAsync(options, cancellationToken).ConfigureAwait(false);
            Console.Error.WriteLine($"demo: the file sink wrote {Path.Combine(folder, "metrics.jsonl")}");
            return exit;
        });
        return command;
    }

    private static string WriteDemoConfig(string folder)
    {
        var checkFolder = Path.Combine(folder, "conf.d", "falco.d");
        Directory.CreateDirectory(checkFolder);
        File.WriteAllText(Path.Combine(checkFolder, "conf.yaml"), ReplayServer.ReadEmbedded("demo/conf.d/falco.d/conf.yaml"));
        var agentPath = Path.Combine(folder, "falcocheck.yaml");
        File.WriteAllText(agentPath, ReplayServer.ReadEmbedded("demo/falcocheck.yaml"));
        return agentPath;
    }
}
