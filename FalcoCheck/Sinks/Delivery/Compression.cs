namespace FalcoCheck.Sinks.Delivery;

/// <summary>A request body's compression. Which ones a sink offers depends on its backend.</summary>
internal enum Compression : byte
{
    None,

    /// <summary>RFC 1952, <c>Content-Encoding: gzip</c>.</summary>
    Gzip,

    /// <summary>zlib (RFC 1950), which HTTP calls <c>deflate</c> (RFC 9110 section 8.4.1.2).</summary>
    Deflate,

    /// <summary>Zstandard; Datadog's v2 series intake names it <c>zstd1</c>.</summary>
    Zstd,

    /// <summary>Snappy block format, as Prometheus remote write requires.</summary>
    Snappy,
}
