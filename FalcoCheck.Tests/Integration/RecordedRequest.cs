using System.IO.Compression;
using System.Net;

namespace FalcoCheck.Tests.Integration;

/// <summary>One request a loopback intake received: path, headers and the body, decompressed as its Content-Encoding says.</summary>
internal sealed record RecordedRequest(string Path, WebHeaderCollection Headers, byte[] Body)
{
    public static async Task<RecordedRequest> ReadAsync(HttpListenerContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.InputStream.CopyToAsync(buffer);
        byte[] raw = buffer.ToArray();
        byte[] body = context.Request.Headers["Content-Encoding"] switch
        {
            "gzip" => await Inflate(new GZipStream(new MemoryStream(raw), CompressionMode.Decompress)),
            "deflate" => await Inflate(new ZLibStream(new MemoryStream(raw), CompressionMode.Decompress)),
            "zstd1" => new ZstdSharp.Decompressor().Unwrap(raw).ToArray(),
            "snappy" => Snappier.Snappy.DecompressToArray(raw),
            _ => raw,
        };
        return new RecordedRequest(context.Request.Url!.AbsolutePath, (WebHeaderCollection)context.Request.Headers, body);
    }

    private static async Task<byte[]> Inflate(Stream stream)
    {
        await using (stream)
        {
            using var output = new MemoryStream();
            await stream.CopyToAsync(output);
            return output.ToArray();
        }
    }
}
