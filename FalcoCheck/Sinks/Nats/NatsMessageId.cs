using FalcoCheck.Runtime;

namespace FalcoCheck.Sinks.Nats;

/// <summary>
/// The <c>Nats-Msg-Id</c> header of one alert: the first 16 bytes of the SHA-256 of its queued bytes, in lower-case
/// hex (32 characters). The queue, its retries and the disk spool keep an alert's bytes as they are, so a request
/// sent again after a lost PONG, a restart or a spool read-back carries the same ids, and a JetStream stream drops
/// the repeats it saw within its duplicate window. 128 bits: two different alerts never share one in practice.
/// </summary>
internal static class NatsMessageId
{
    public const string Header = "Nats-Msg-Id";

    private const int Bytes = 16;

    public static string Of(ReadOnlySpan<byte> entry)
    {
        Span<byte> hash = stackalloc byte[ManagedSha256.HashSizeInBytes];
        ManagedSha256.HashData(entry, hash);
        return Convert.ToHexStringLower(hash[..Bytes]);
    }
}
