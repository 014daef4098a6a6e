using System.Buffers;
using FalcoCheck.Parsing;

namespace FalcoCheck.Scraping;

/// <summary>
/// The outcome of one scrape. On success it owns a pooled buffer holding the body: dispose it when parsed.
/// A failure carries the reason in words a user acts on, and never a secret.
/// </summary>
internal sealed class ScrapeResult : IDisposable
{
    private byte[]? _buffer;

    private ScrapeResult(byte[]? buffer, int length, TextFormat format, string? error, int statusCode, TimeSpan duration)
    {
        _buffer = buffer;
        Length = length;
        Format = format;
        Error = error;
        StatusCode = statusCode;
        Duration = duration;
    }

    public bool Success => Error is null;

    /// <summary>Why the scrape failed, or null.</summary>
    public string? Error { get; }

    /// <summary>HTTP status, or 0 when no response arrived.</summary>
    public int StatusCode { get; }

    public TimeSpan Duration { get; }

    /// <summary>Body length in bytes (after decompression).</summary>
    public int Length { get; }

    public TextFormat Format { get; }

    public ReadOnlySpan<byte> Body => _buffer is null ? default : _buffer.AsSpan(0, Length);

    public static ScrapeResult Ok(byte[] pooledBuffer, int length, TextFormat format, int statusCode, TimeSpan duration) =>
        new(pooledBuffer, length, format, null, statusCode, duration);

    public static ScrapeResult Failed(string error, int statusCode, TimeSpan duration) =>
        new(null, 0, TextFormat.Prometheus, error, statusCode, duration);

    public void Dispose()
    {
        if (_buffer is { } buffer)
        {
            _buffer = null;
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
