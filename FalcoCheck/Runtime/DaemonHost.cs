using FalcoCheck.Alerts;
using FalcoCheck.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace FalcoCheck.Runtime;

/// <summary>
/// Builds the Generic Host of <c>falcocheck run</c>: no configuration sources of its own (falcocheck.yaml is the
/// configuration), logs on standard error (standard output belongs to the console sink), one line per event, in
/// UTC. Under systemd the host notifies readiness (<c>Type=notify</c>) and logs in the journal's format with
/// syslog priorities instead of timestamps.
/// </summary>
internal static class DaemonHost
{
    public static IHost Build(DaemonOptions options, TimeProvider clock, Action<ILoggingBuilder>? logging = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, Args = [] });
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LevelOf(options.Agent.LogLevel));
        // The host's own lifecycle lines ("Application started…") repeat ours; its warnings and errors still show.
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);
        if (ToJournal(options.GetEnv))
        {
            // "<6>category[event] message": the journal reads the syslog priority and stamps the time itself.
            builder.Logging.AddSystemdConsole(o =>
            {
                o.IncludeScopes = false;
                o.TimestampFormat = null;
            });
        }
        else
        {
            builder.Logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
                o.IncludeScopes = false;
            });
        }

        builder.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        logging?.Invoke(builder.Logging);

        // sd_notify READY=1 and STOPPING=1 when systemd started us (Type=notify); nothing otherwise. AddSystemd finds
        // systemd by reading /proc/<parent>/comm, which a unit with ProtectProc=invisible hides from a non-root service
        // (dotnet/runtime#125368): READY=1 would never be sent and systemd would fail the start. NOTIFY_SOCKET (set for
        // Type=notify) with INVOCATION_ID (set for every unit, so a NOTIFY_SOCKET leaked into a shell does not count)
        // decides too.
        builder.Services.AddSystemd();
        if (!SystemdHelpers.IsSystemdService() && !string.IsNullOrEmpty(options.GetEnv("NOTIFY_SOCKET")) && !string.IsNullOrEmpty(options.GetEnv("INVOCATION_ID")))
        {
            builder.Services.AddSingleton<ISystemdNotifier, SystemdNotifier>();
            builder.Services.AddSingleton<IHostLifetime, SystemdLifetime>();
        }

        builder.Services.Configure<ConsoleLifetimeOptions>(o => o.SuppressStatusMessages = true);
        builder.Services.Configure<HostOptions>(o =>
        {
            o.ShutdownTimeout = options.Agent.ShutdownTimeout;
            o.BackgroundServiceExceptionBehavior = BackgroundServiceExceptionBehavior.StopHost;
        });
        builder.Services.AddSingleton(clock);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(services => new Daemon(options, services.GetRequiredService<ILoggerFactory>(), clock));
        builder.Services.AddHostedService(services => services.GetRequiredService<Daemon>());
        if (AlertsOf(options) is { } alerts)
        {
            // Registered after the daemon: started once its sinks exist, stopped (submitting its last
            // falco.alerts.count) before the daemon flushes them.
            builder.Services.AddHostedService(services =>
            {
                var daemon = services.GetRequiredService<Daemon>();
                var pipeline = new AlertPipeline(
                    Daemon.ForAlerts(options.Agent), alerts, [new DaemonMetricSink(daemon)],
                    services.GetRequiredService<ILoggerFactory>(), clock, options.Console,
                    reconciliation: daemon.Reconciliation);
                daemon.AlertSinkReports = pipeline.Report;
                return pipeline;
            });
        }
        return builder.Build();
    }

    /// <summary>
    /// The agent's <c>alerts:</c> section, with conf.yaml's <c>logs:</c> files added; with <c>logs:</c> alone, the
    /// section's defaults (no receiver, a console sink) so the files are still followed.
    /// </summary>
    internal static AlertsConfig? AlertsOf(DaemonOptions options)
    {
        if (options.Check.LogFiles.Count == 0)
        {
            return options.Agent.Alerts;
        }

        AlertsConfig alerts = options.Agent.Alerts ?? new AlertsConfig
        {
            SpoolDir = Path.Combine(options.Agent.StateDir, "alerts", "spool"),
            FileStateDir = Path.Combine(options.Agent.StateDir, "alerts", "files"),
        };
        return alerts with { LogFiles = options.Check.LogFiles };
    }

    /// <summary>
    /// True when standard error goes to the journal: systemd sets <c>JOURNAL_STREAM</c> for a service whose output it
    /// collects (systemd.exec(5)), which also covers <c>systemd-run</c> and units whose parent is not PID 1.
    /// </summary>
    public static bool ToJournal(Func<string, string?> getEnv) =>
        !string.IsNullOrEmpty(getEnv("JOURNAL_STREAM")) || SystemdHelpers.IsSystemdService();

    /// <summary>falcocheck.yaml's <c>log_level</c> words to Microsoft.Extensions.Logging's levels.</summary>
    public static LogLevel LevelOf(string level) => level switch
    {
        "trace" => LogLevel.Trace,
        "debug" => LogLevel.Debug,
        "warn" => LogLevel.Warning,
        "error" => LogLevel.Error,
        "off" => LogLevel.None,
        _ => LogLevel.Information,
    };
}
