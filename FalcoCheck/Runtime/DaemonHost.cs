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
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.UseUtcTimestamp = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            o.IncludeScopes = false;
        });
        builder.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        logging?.Invoke(builder.Logging);

        // After the console setup: under systemd it switches the formatter to the journal's.
        builder.Services.AddSystemd();
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
        return builder.Build();
    }

    /// <summary>True when started by systemd (the host then uses <see cref="SystemdLifetime"/>).</summary>
    public static bool UnderSystemd => SystemdHelpers.IsSystemdService();

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
