using FalcoCheck.Runtime;

namespace FalcoCheck.Sinks.Nats;

/// <summary>
/// The <c>Nats-Msg-Id</c> header of one alert: the first 16 bytes of the SHA-256 of its queued bytes, in lower-case
/// hex (32 characters). The queue, its retries and the disk spool keep an alert's bytes as they are, so a request
/// sent again after a lost PONG, a restart or a spool read-back carries the same ids, and a JetStream stream drops
/// the repeats it saw within its duplicate window. A cryptographic hash, not a faster one such as XxHash128: alert
/// fields (process names, paths) are an attacker's to choose, and a crafted collision with an earlier alert would
/// make the stream drop the later one. The managed SHA-256 keeps OpenSSL unloaded; it costs about 13 µs for Falco's
/// documented alert (the <c>NatsMessageIds</c> benchmark).
/// </summary>
internal static class NatsMessageId
{
    public const string Header = "Nats-Msg-Id";

    private const int Bytes = 16;

    /// <summary>
    /// What the header adds to a message, which the server's <c>max_payload</c> counts with the payload (HPUB's total
    /// size, NATS ADR-4): <c>NATS/1.0\r\n</c>, <c>Nats-Msg-Id: </c>, the 32 hex digits, <c>\r\n</c> and the blank line
    /// that ends the headers.
    /// </summary>
    public const int HeaderBytes = 10 + 13 + (2 * Bytes) + 2 + 2;

    public static string Of(ReadOnlySpan<byte> entry)
    {
        Span<byte> hash = stackalloc byte[ManagedSha256.HashSizeInBytes];
        ManagedSha256.HashData(entry, hash);
        return Convert.ToHexStringLower(hash[..Bytes]);
    }
}
