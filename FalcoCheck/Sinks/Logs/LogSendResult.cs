namespace FalcoCheck.Sinks.Logs;

/// <summary>The outcome of one batch, with the reason and the server's <c>Retry-After</c> when it gave one.</summary>
internal readonly record struct LogSendResult(LogSendOutcome Outcome, string? Reason, TimeSpan? RetryAfter = null)
{
    public static LogSendResult Sent { get; } = new(LogSendOutcome.Sent, null);

    public static LogSendResult Retry(string reason, TimeSpan? retryAfter = null) => new(LogSendOutcome.Retry, reason, retryAfter);

    public static LogSendResult Drop(string reason) => new(LogSendOutcome.Drop, reason);
}
