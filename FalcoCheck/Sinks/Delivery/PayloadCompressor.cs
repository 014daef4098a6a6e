using System.Buffers;
using System.IO.Compression;
using Snappier;
using ZstdSharp;

namespace FalcoCheck.Sinks.Delivery;

/// <summary>
/// Compresses an encoded body into a reused buffer. Gzip and zlib come from the BCL, Zstandard from ZstdSharp,
/// snappy from Snappier (block format, not framed: remote write's <c>Content-Encoding: snappy</c>).
/// </summary>
internal sealed class PayloadCompressor(Compression compression) : IDisposable
{
    /// <summary>zstd's default level (3), as Datadog's own agent uses for its payloads.</summary>
    private const int ZstdLevel = 3;

    private readonly MemoryStream _stream = new();
    private Compressor? _zstd;

    public Compression Compression { get; } = compression;

    /// <summary>The <c>Content-Encoding</c> value, or null for none. <paramref name="zstdName"/>: Datadog calls it <c>zstd1</c>.</summary>
    public string? ContentEncoding(string zstdName = "zstd") => Compression switch
    {
        Compression.Gzip => "gzip",
        Compression.Deflate => "deflate",
        Compression.Zstd => zstdName,
        Compression.Snappy => "snappy",
        _ => null,
    };

    /// <summary>The compressed bytes of <paramref name="raw"/>, valid until the next call.</summary>
    public ReadOnlyMemory<byte> Compress(ReadOnlyMemory<byte> raw)
    {
        switch (Compression)
        {
            case Compression.None:
                return raw;
            case Compression.Snappy:
                return ViaBuffer(raw.Span, Snappy.GetMaxCompressedLength(raw.Length), static (src, dst, _) => Snappy.Compress(src, dst), null);
            case Compression.Zstd:
                _zstd ??= new Compressor(ZstdLevel);
                return ViaBuffer(raw.Span, Compressor.GetCompressBound(raw.Length), static (src, dst, zstd) => zstd!.Wrap(src, dst), _zstd);
            default:
                // A new deflater per body: GZipStream/ZLibStream cannot be reset, and .NET 10's System.IO.Compression
                // has no reusable or span-based deflate encoder. Its set-up (zlib-ng zeroing its window and hash
                // table) is about 3% of a typical scrape's pipeline, the level-1 compression itself about 19%.
                _stream.SetLength(0);
                using (Stream compressor = Compression == Compression.Gzip
                    ? new GZipStream(_stream, CompressionLevel.Fastest, leaveOpen: true)
                    : new ZLibStream(_stream, CompressionLevel.Fastest, leaveOpen: true))
                {
                    compressor.Write(raw.Span);
                }

                return _stream.GetBuffer().AsMemory(0, (int)_stream.Length);
        }
    }

    public void Dispose()
    {
        _stream.Dispose();
        _zstd?.Dispose();
    }

    private delegate int SpanCompressor(ReadOnlySpan<byte> source, Span<byte> destination, Compressor? zstd);

    private ReadOnlyMemory<byte> ViaBuffer(ReadOnlySpan<byte> raw, int bound, SpanCompressor compress, Compressor? zstd)
    {
        _stream.SetLength(Math.Max(_stream.Length, bound));
        int written = compress(raw, _stream.GetBuffer().AsSpan(0, bound), zstd);
        return _stream.GetBuffer().AsMemory(0, written);
    }
}
