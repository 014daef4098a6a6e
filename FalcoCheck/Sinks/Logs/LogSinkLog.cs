using Microsoft.Extensions.Logging;

namespace FalcoCheck.Sinks.Logs;

/// <summary>The named events of the log sinks (CONVENTIONS 14). Reasons come from the sinks and never hold secrets.</summary>
internal static partial class LogSinkLog
{
    [LoggerMessage(EventId = 2001, Level = LogLevel.Warning, Message = "log sink {Sink}: {Count} alert(s) not delivered yet, retrying in {Delay}: {Reason}")]
    public static partial void Retrying(ILogger logger, string sink, int count, TimeSpan delay, string? reason);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Error, Message = "log sink {Sink}: {Count} alert(s) dropped: {Reason}")]
    public static partial void Dropped(ILogger logger, string sink, int count, string? reason);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Information, Message = "log sink {Sink}: delivered again after {Retries} retr(ies)")]
    public static partial void Recovered(ILogger logger, string sink, int retries);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Information, Message = "log sink {Sink}: stopped with {Bytes} byte(s) of alerts in the spool, sent at the next start")]
    public static partial void LeftInSpool(ILogger logger, string sink, long bytes);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Error, Message = "log sink {Sink}: {Count} alert(s) lost at stop: the spool is full or not writable")]
    public static partial void LostAtStop(ILogger logger, string sink, int count);
}
