using Microsoft.Extensions.Logging;

namespace FalcoCheck.Runtime;

/// <summary>Events of the daemon's per-sink queues (CONVENTIONS 14).</summary>
internal static partial class SinkQueueLog
{
    [LoggerMessage(200, LogLevel.Warning, "sink {Sink} failed: {Reason}")]
    public static partial void SendFailed(ILogger logger, string sink, string reason);

    [LoggerMessage(201, LogLevel.Information, "sink {Sink} is delivering again")]
    public static partial void Recovered(ILogger logger, string sink);

    [LoggerMessage(202, LogLevel.Warning, "sink {Sink}: dropped {Points} series and service checks since the last report: the queues ({Capacity} submissions, then the sink's queue_size) and the disk spool were full, or it is off (last error: {Reason})")]
    public static partial void Dropped(ILogger logger, string sink, int capacity, long points, string reason);

    [LoggerMessage(203, LogLevel.Warning, "sink {Sink}: shutdown_timeout reached with {Queued} submission(s) not delivered")]
    public static partial void NotFlushed(ILogger logger, string sink, int queued);

    [LoggerMessage(204, LogLevel.Error, "sink {Sink} failed unexpectedly")]
    public static partial void SendThrew(ILogger logger, string sink, Exception exception);
}
