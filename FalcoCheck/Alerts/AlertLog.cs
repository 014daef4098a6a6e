using Microsoft.Extensions.Logging;

namespace FalcoCheck.Alerts;

/// <summary>The named events of the alert inputs (CONVENTIONS 14). Alert bodies and tokens are never logged.</summary>
internal static partial class AlertLog
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "alerts: receiving Falco http_output at {Address}")]
    public static partial void Listening(ILogger logger, string address);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "alerts: {Input}: {Rejected} value(s) were not Falco alerts; first: {Reason}")]
    public static partial void Rejected(ILogger logger, string input, int rejected, string reason);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "alerts: {Input}: the queue and spool of every log sink these alerts go to are full; waiting for the log sinks")]
    public static partial void QueuesFull(ILogger logger, string input);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Information, Message = "alerts: following {Path} from byte {Offset}")]
    public static partial void Following(ILogger logger, string path, long offset);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Information, Message = "alerts: {Path} was rotated; finishing the old file, then reading the new one from the start")]
    public static partial void Rotated(ILogger logger, string path);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Information, Message = "alerts: {Path} was truncated; reading it again from the start")]
    public static partial void Truncated(ILogger logger, string path);

    [LoggerMessage(EventId = 1007, Level = LogLevel.Warning, Message = "alerts: cannot read {Path}: {Reason}")]
    public static partial void ReadFailed(ILogger logger, string path, string reason);

    [LoggerMessage(EventId = 1008, Level = LogLevel.Warning, Message = "alerts: a request was refused with {Status}: {Reason}")]
    public static partial void RequestRefused(ILogger logger, int status, string reason);

    [LoggerMessage(EventId = 1009, Level = LogLevel.Warning, Message = "alerts: cannot submit falco.alerts.count to {Sink}: {Reason}")]
    public static partial void MetricsFailed(ILogger logger, string sink, string? reason);

    [LoggerMessage(EventId = 1010, Level = LogLevel.Warning, Message = "alerts: Falco metrics snapshots arrive by {Input} (metrics.output_rule) but no metrics sink is configured: they are counted and dropped, never forwarded as alerts")]
    public static partial void SnapshotsWithoutSink(ILogger logger, string input);

    [LoggerMessage(EventId = 1011, Level = LogLevel.Warning, Message = "alerts: {Input}: the metrics snapshot at {Where} was dropped: {Reason}")]
    public static partial void SnapshotDropped(ILogger logger, string input, string where, string reason);

    [LoggerMessage(EventId = 1012, Level = LogLevel.Warning, Message = "alerts: {Input}: {Count} metrics snapshot field(s) skipped, the rest kept; first: {Notice}")]
    public static partial void SnapshotNotices(ILogger logger, string input, int count, string notice);

    [LoggerMessage(EventId = 1013, Level = LogLevel.Error, Message = "alerts: log sink {Sink}: queue and spool are full; its alerts are dropped (counted in its dropped) while the other sinks go on receiving them: {Reason}")]
    public static partial void SinkFull(ILogger logger, string sink, string reason);

    [LoggerMessage(EventId = 1014, Level = LogLevel.Information, Message = "alerts: log sink {Sink}: has room again; no more alerts are dropped for it")]
    public static partial void SinkHasRoom(ILogger logger, string sink);

    [LoggerMessage(EventId = 1015, Level = LogLevel.Warning, Message = "alerts: {Input}: a line longer than {Limit} bytes was skipped (not an alert Falco writes); the lines after it are read")]
    public static partial void LongLineSkipped(ILogger logger, string input, int limit);
}
