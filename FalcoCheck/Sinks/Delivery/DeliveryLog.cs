using Microsoft.Extensions.Logging;

namespace FalcoCheck.Sinks.Delivery;

/// <summary>
/// The named events of a <see cref="DeliveryQueue{TBatch}"/> (CONVENTIONS 14): an outage is one line when it starts
/// and one when it ends, not a line per retry. Reasons come from <see cref="RetryClassifier"/>, secrets removed.
/// </summary>
internal static partial class DeliveryLog
{
    [LoggerMessage(EventId = 2001, Level = LogLevel.Warning, Message = "sink {Sink}: {Count} item(s) not delivered yet, retrying: {Reason}")]
    public static partial void Failing(ILogger logger, string sink, int count, string? reason);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Error, Message = "sink {Sink}: {Count} item(s) dropped: {Reason}")]
    public static partial void Dropped(ILogger logger, string sink, int count, string? reason);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Information, Message = "sink {Sink}: delivering again after {Retries} retr(ies)")]
    public static partial void Recovered(ILogger logger, string sink, long retries);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Warning, Message = "sink {Sink}: dropped {Items} item(s) since the last report: {Reason}")]
    public static partial void DroppedSinceReport(ILogger logger, string sink, long items, string reason);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Information, Message = "sink {Sink}: stopped with {Bytes} byte(s) in the disk spool, sent at the next start")]
    public static partial void LeftInSpool(ILogger logger, string sink, long bytes);
}
