namespace FalcoCheck.Alerts;

/// <summary>One open generation of a followed path: its handle, the offset read up to, its fingerprint, and when it last grew.</summary>
internal sealed class FollowedFile(FileStream stream, long offset, string? fingerprint, DateTimeOffset opened) : IDisposable
{
    public FileStream Stream { get; } = stream;

    public long Offset { get; set; } = offset;

    public string? Fingerprint { get; set; } = fingerprint;

    public DateTimeOffset LastData { get; set; } = opened;

    /// <summary>While an over-long line at <see cref="Offset"/> is skipped: how far it is known to have no newline.</summary>
    public long Scanned { get; set; }

    /// <summary>The file's length now (asked of the file system each time, never cached).</summary>
    public long Length => RandomAccess.GetLength(Stream.SafeFileHandle);

    public static FollowedFile? TryOpen(string path, long offset, DateTimeOffset now)
    {
        try
        {
            // Delete share: logrotate may rename or remove the file while we hold it.
            var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            return new FollowedFile(stream, offset, FileOffsetStore.Fingerprint(stream), now);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    public void Dispose() => Stream.Dispose();
}
