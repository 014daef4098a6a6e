using Microsoft.Extensions.Logging;

namespace FalcoCheck.Runtime;

/// <summary>Events of one instance's loop (CONVENTIONS 14). Endpoints are always the redacted name.</summary>
internal static partial class InstanceLoopLog
{
    [LoggerMessage(100, LogLevel.Debug, "instance {Index} {Endpoint}: {Status} in {DurationMs:0} ms, {Series} series submitted")]
    public static partial void RunCompleted(ILogger logger, int index, string endpoint, string status, double durationMs, int series);

    [LoggerMessage(101, LogLevel.Warning, "instance {Index} {Endpoint} is CRITICAL: {Reason}")]
    public static partial void Critical(ILogger logger, int index, string endpoint, string reason);

    [LoggerMessage(102, LogLevel.Information, "instance {Index} {Endpoint} is OK{Again}{Version}, {Series} series submitted")]
    public static partial void Ok(ILogger logger, int index, string endpoint, string again, string version, int series);

    [LoggerMessage(103, LogLevel.Warning, "instance {Index} {Endpoint}: the run took {DurationMs:0} ms, longer than min_collection_interval ({IntervalSeconds} s); skipped {Skipped} tick(s)")]
    public static partial void TicksSkipped(ILogger logger, int index, string endpoint, double durationMs, double intervalSeconds, int skipped);

    [LoggerMessage(104, LogLevel.Warning, "instance {Index} {Endpoint}: {Message}")]
    public static partial void StateProblem(ILogger logger, int index, string endpoint, string message);

    [LoggerMessage(105, LogLevel.Error, "instance {Index} {Endpoint}: the run failed unexpectedly; the loop carries on")]
    public static partial void RunFailed(ILogger logger, int index, string endpoint, Exception exception);

    [LoggerMessage(106, LogLevel.Error, "instance {Index} {Endpoint} cannot be set up: {Reason}")]
    public static partial void SetupFailed(ILogger logger, int index, string endpoint, string reason);

    [LoggerMessage(107, LogLevel.Information, "instance {Index} {Endpoint}: {Skipped}")]
    public static partial void Skipped(ILogger logger, int index, string endpoint, string skipped);
}
