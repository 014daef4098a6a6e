using Microsoft.Extensions.Logging;

namespace FalcoCheck.Runtime;

/// <summary>Events of the daemon as a whole: start, stop, configuration and reloads (CONVENTIONS 14).</summary>
internal static partial class DaemonLog
{
    [LoggerMessage(1, LogLevel.Information, "falcocheck {Version} running {Instances} instance(s) from {CheckConfig}, {Sinks} sink(s), at most {Concurrent} scrapes at once; status at {Status}")]
    public static partial void Started(ILogger logger, string version, int instances, string checkConfig, int sinks, int concurrent, string status);

    [LoggerMessage(2, LogLevel.Information, "stopping: finishing in-flight runs and flushing sinks (shutdown_timeout {Seconds} s)")]
    public static partial void Stopping(ILogger logger, double seconds);

    [LoggerMessage(3, LogLevel.Information, "stopped")]
    public static partial void Stopped(ILogger logger);

    [LoggerMessage(4, LogLevel.Error, "configuration: {Error}")]
    public static partial void ConfigError(ILogger logger, string error);

    [LoggerMessage(5, LogLevel.Information, "reload ({Trigger}): {Summary}")]
    public static partial void Reloaded(ILogger logger, string trigger, string summary);

    [LoggerMessage(6, LogLevel.Error, "reload ({Trigger}) refused, the running configuration is kept: {Summary}")]
    public static partial void ReloadRefused(ILogger logger, string trigger, string summary);

    [LoggerMessage(7, LogLevel.Warning, "reload ({Trigger}): {Settings} changed; restart falcocheck to apply")]
    public static partial void NeedsRestart(ILogger logger, string trigger, string settings);

    [LoggerMessage(8, LogLevel.Warning, "no instance to run: {CheckConfig} has none without errors; waiting for a reload")]
    public static partial void NoInstances(ILogger logger, string checkConfig);

    [LoggerMessage(9, LogLevel.Debug, "watch_config: {File} changed")]
    public static partial void FileChanged(ILogger logger, string file);

    [LoggerMessage(10, LogLevel.Warning, "status endpoint: {Reason}")]
    public static partial void StatusServerProblem(ILogger logger, string reason);

    [LoggerMessage(11, LogLevel.Information, "configuration: {Notice}")]
    public static partial void ConfigNotice(ILogger logger, string notice);
}
