using System.CommandLine;
using System.Net;
using System.Text.Json;
using FalcoCheck.Configuration;
using FalcoCheck.Runtime;

namespace FalcoCheck.Cli;

/// <summary>
/// <c>falcocheck status</c>: asks the running daemon (<c>falcocheck run</c>) at its status endpoint and prints every
/// instance and sink. Exit 0 when the daemon answered (whatever its instances' health, as <c>datadog-agent status</c>),
/// 1 when it did not, 2 for a configuration error.
/// </summary>
internal static class StatusCommand
{
    public const int ExitNotRunning = 1;

    /// <summary>The daemon answers from memory; anything slower than this is not answering.</summary>
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(5);

    public static Command Create()
    {
        var config = new ConfigOptions();
        var json = new Option<bool>("--json") { Description = "Print the status endpoint's JSON as is" };
        var address = new Option<string?>("--address") { Description = "HOST:PORT of the status endpoint (default: status.listen of falcocheck.yaml)" };
        var command = new Command("status", "Show what the running daemon is doing: every instance and sink");
        config.AddTo(command);
        command.Options.Add(json);
        command.Options.Add(address);
        command.SetAction(async (parse, cancellationToken) =>
        {
            IPEndPoint endpoint;
            if (parse.GetValue(address) is { } given)
            {
                if (!StatusConfig.TryParseListen(given, out endpoint))
                {
                    await Console.Error.WriteLineAsync($"--address: expected HOST:PORT such as 127.0.0.1:{StatusConfig.DefaultPort}").ConfigureAwait(false);
                    return CheckRunner.ExitConfigError;
                }
            }
            else
            {
                AgentConfig agent;
                try
                {
                    agent = ConfigLoader.LoadAgent(parse.GetValue(config.Config), Environment.GetEnvironmentVariable);
                }
                catch (ConfigException e)
                {
                    foreach (var error in e.Errors)
                    {
                        await Console.Error.WriteLineAsync(error.ToString()).ConfigureAwait(false);
                    }

                    return CheckRunner.ExitConfigError;
                }

                if (!agent.Status.Enabled)
                {
                    await Console.Error.WriteLineAsync($"{agent.SourceFile}: status.enabled is false: the daemon serves no status").ConfigureAwait(false);
                    return CheckRunner.ExitConfigError;
                }

                endpoint = agent.Status.Listen;
            }

            var url = new StatusConfig { Listen = endpoint }.BaseUrl;
            return await ShowAsync(new Uri(url, "status"), parse.GetValue(json), cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    private static async Task<int> ShowAsync(Uri url, bool json, CancellationToken cancellationToken)
    {
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = RequestTimeout };
        byte[] body;
        try
        {
            using var response = await client.GetAsync(url, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                await Console.Error.WriteLineAsync($"falcocheck status: {url} answered {(int)response.StatusCode} {response.ReasonPhrase}").ConfigureAwait(false);
                return ExitNotRunning;
            }

            body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            await Console.Error.WriteLineAsync($"falcocheck status: no daemon answers at {url} ({e.Message}); is `falcocheck run` running?").ConfigureAwait(false);
            return ExitNotRunning;
        }

        if (json)
        {
            await Console.Out.WriteLineAsync(System.Text.Encoding.UTF8.GetString(body)).ConfigureAwait(false);
            return CheckRunner.ExitOk;
        }

        StatusReport? report;
        try
        {
            report = JsonSerializer.Deserialize(body, StatusJsonContext.Default.StatusReport);
        }
        catch (JsonException e)
        {
            await Console.Error.WriteLineAsync($"falcocheck status: {url} answered something that is not a FalcoCheck status ({e.Message})").ConfigureAwait(false);
            return ExitNotRunning;
        }

        if (report is null)
        {
            return ExitNotRunning;
        }

        StatusText.Write(report, Console.Out);
        return CheckRunner.ExitOk;
    }
}
