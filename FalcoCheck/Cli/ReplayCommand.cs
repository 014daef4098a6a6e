using System.CommandLine;
using FalcoCheck.Demo;

namespace FalcoCheck.Cli;

/// <summary><c>falcocheck replay</c>: serve the recorded Falco payloads (or your own files) until stopped.</summary>
internal static class ReplayCommand
{
    public static Command Create()
    {
        var port = new Option<int>("--port", "-p") { Description = "Port on 127.0.0.1 (default 8765, Falco's)", DefaultValueFactory = _ => 8765 };
        var files = new Argument<string[]>("files") { Description = "Prometheus text files to serve at /<name>/metrics (default: the embedded Falco payloads)", Arity = ArgumentArity.ZeroOrMore };
        var command = new Command("replay", "Serve recorded Falco /metrics payloads on 127.0.0.1, with counters that move");
        command.Options.Add(port);
        command.Arguments.Add(files);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var paths = parse.GetValue(files) ?? [];
            await using var server = paths.Length == 0
                ? ReplayServer.StartEmbedded(parse.GetValue(port))
                : ReplayServer.Start(paths.ToDictionary(PayloadName, File.ReadAllText), parse.GetValue(port));
            Console.Out.WriteLine($"serving {server.BaseUrl}/metrics; Ctrl+C to stop");
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }

            return 0;
        });
        return command;
    }

    private static string PayloadName(string path)
    {
        var name = Path.GetFileName(path);
        return name.EndsWith(".prom.txt", StringComparison.Ordinal) ? name[..^".prom.txt".Length] : Path.GetFileNameWithoutExtension(name);
    }
}
