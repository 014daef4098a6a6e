using System.CommandLine;
using System.Runtime.InteropServices;
using FalcoCheck.Alerts;
using FalcoCheck.Configuration;
using FalcoCheck.Runtime;
using FalcoCheck.Sinks;
using Microsoft.Extensions.Logging;

namespace FalcoCheck.Cli;

/// <summary>
/// <c>falcocheck alerts</c>: Falco's alerts to the log sinks, on its own. Serves the <c>http_output</c> receiver and
/// follows the <c>alerts.files</c> until Ctrl+C, or with <c>--stdin</c> reads alerts from standard input until it
/// ends (Falco's <c>program_output</c>). Without an <c>alerts:</c> section it listens on 127.0.0.1:2801 and prints
/// the alerts as JSON lines.
/// </summary>
internal static class AlertsCommand
{
    public static Command Create()
    {
        var config = new ConfigOptions();
        var stdin = new Option<bool>("--stdin") { Description = "Read alerts (one JSON per line) from standard input until it ends, for Falco's program_output" };
        var command = new Command("alerts", "Receive Falco's alerts (http_output, file_output or program_output) and forward them as logs");
        config.AddTo(command);
        command.Options.Add(stdin);
        command.SetAction(async (parse, cancellationToken) =>
        {
            AgentConfig agent;
            try
            {
                agent = ConfigLoader.LoadAgent(parse.GetValue(config.Config), Environment.GetEnvironmentVariable);
            }
            catch (ConfigException e)
            {
                foreach (ConfigError error in e.Errors)
                {
                    await Console.Error.WriteLineAsync(error.ToString()).ConfigureAwait(false);
                }

                return CheckRunner.ExitConfigError;
            }

            return await RunAsync(agent, parse.GetValue(stdin), cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    /// <summary>The section as configured, or the defaults: the receiver on 127.0.0.1:2801 and a console sink.</summary>
    public static AlertsConfig Settings(AgentConfig agent) => agent.Alerts ?? new AlertsConfig
    {
        Http = new AlertsHttpConfig(),
        SpoolDir = Path.Combine(agent.StateDir, "alerts", "spool"),
        FileStateDir = Path.Combine(agent.StateDir, "alerts", "files"),
    };

    private static async Task<int> RunAsync(AgentConfig agent, bool stdin, CancellationToken commandToken)
    {
        // SIGTERM (systemd, Kubernetes, Falco stopping its program_output) stops like Ctrl+C: deliver or spool what
        // is queued, then exit 0. Without this the runtime ends the process at once.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(commandToken);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, signal =>
        {
            signal.Cancel = true;
            stop.Cancel();
        });
        CancellationToken cancellationToken = stop.Token;
        AlertsConfig settings = Settings(agent);
        using ILoggerFactory loggers = LoggerFactory.Create(logging => logging
            .SetMinimumLevel(DaemonHost.LevelOf(agent.LogLevel))
            .AddSimpleConsole(console => console.SingleLine = true)
            .AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace));
        var metricSinks = agent.Sinks.Select(s => SinkFactory.Create(s, Console.Out, TimeProvider.System, agent.StateDir)).ToList();
        var options = new AlertPipelineOptions { ServeInputs = !stdin };
        AlertPipeline pipeline;
        try
        {
            pipeline = new AlertPipeline(agent, settings, metricSinks, loggers, TimeProvider.System, Console.Out, options);
        }
        catch (IOException e)
        {
            // A log sink's spool held by another falcocheck process (the daemon), or not writable.
            await Console.Error.WriteLineAsync($"falcocheck alerts: {e.Message}").ConfigureAwait(false);
            foreach (IMetricSink sink in metricSinks)
            {
                await sink.DisposeAsync().ConfigureAwait(false);
            }

            return CheckRunner.ExitCritical;
        }

        try
        {
            await pipeline.StartAsync(cancellationToken).ConfigureAwait(false);
            if (stdin)
            {
                await pipeline.ReadAsync(Console.OpenStandardInput(), cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await Console.Error.WriteLineAsync(Describe(settings, pipeline)).ConfigureAwait(false);
                await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl+C or SIGTERM: stop below, delivering or spooling what is queued.
        }
        catch (IOException e)
        {
            // The port is taken or a followed folder is unreadable: one line, not a stack trace.
            await Console.Error.WriteLineAsync($"falcocheck alerts: {e.Message}").ConfigureAwait(false);
            return CheckRunner.ExitCritical;
        }
        finally
        {
            await pipeline.DisposeAsync().ConfigureAwait(false);
            foreach (IMetricSink sink in metricSinks)
            {
                await sink.DisposeAsync().ConfigureAwait(false);
            }
        }

        return CheckRunner.ExitOk;
    }

    private static string Describe(AlertsConfig settings, AlertPipeline pipeline)
    {
        var inputs = new List<string>();
        if (pipeline.ReceiverAddress is { } address)
        {
            inputs.Add($"receiving Falco http_output at {address}");
        }

        inputs.AddRange(settings.Files.Select(f => $"following {f}"));
        string sinks = string.Join(", ", pipeline.Sinks.Select(s => s.Name));
        return $"alerts: {(inputs.Count == 0 ? "no input configured" : string.Join("; ", inputs))}; sending to {sinks}; Ctrl+C to stop";
    }
}
