namespace FalcoCheck.Sinks.Logs;

/// <summary>How a batch fared: delivered, worth another try, or refused for good (retrying cannot help).</summary>
internal enum LogSendOutcome : byte
{
    Sent,
    Retry,
    Drop,
}
