using System.CommandLine;
using FalcoCheck.Runtime;

namespace FalcoCheck.Cli;

/// <summary><c>falcocheck check</c>: every instance once, like <c>datadog-agent check falco</c>.</summary>
internal static class CheckCommand
{
    public static Command Create()
    {
        var config = new ConfigOptions();
        var instance = new Option<int?>("--instance", "-i") { Description = "Run only this instance (its index in conf.yaml, from 0)" };
        var json = new Option<bool>("--json") { Description = "Print JSON lines (the file sink's format) instead of a table" };
        var rate = new Option<bool>("--rate") { Description = "Run twice, one interval apart, so counts show (state files are not touched)" };
        var rateInterval = RateIntervalOption.Create("Seconds between the two --rate runs (default: each instance's min_collection_interval)");

        var command = new Command("check", "Scrape every configured Falco once, submit, and print what was submitted");
        config.AddTo(command);
        command.Options.Add(instance);
        command.Options.Add(json);
        command.Options.Add(rate);
        command.Options.Add(rateInterval);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var (agent, check) = ConfigOptions.Load(parse.GetValue(config.Config), Environment.GetEnvironmentVariable, Console.Error);
            if (agent is null || check is null)
            {
                return CheckRunner.ExitConfigError;
            }

            var options = new CheckRunOptions
            {
                Instance = parse.GetValue(instance),
                Json = parse.GetValue(json),
                Rate = parse.GetValue(rate),
                RateInterval = parse.GetValue(rateInterval) is { } seconds ? TimeSpan.FromSeconds(seconds) : null,
            };
            var runner = new CheckRunner(agent, check, Console.Out, Console.Error, TimeProvider.System);
            return await runner.RunAsync(options, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }
}
