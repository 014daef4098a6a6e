using System.Buffers;
using System.Globalization;

namespace FalcoCheck.Sinks.Delivery;

/// <summary>
/// A disk queue of entries for one sink (alert logs, or metric batches): append-only segment files of one entry per
/// line, read in order, with the read position (segment, offset and the delivery progress inside the head entry) in
/// a small <c>cursor</c> file written by rename, so a restart resumes where delivery stopped. Bounded by
/// <c>maxBytes</c> of unread entries. A new segment is started at every start-up, so a line cut by a crash is only
/// ever at the end of an old segment, where it is skipped. One process at a time: a <c>lock</c> file held open
/// without sharing (an advisory lock on Linux) keeps a second process — a cron run beside the daemon — out.
/// </summary>
internal sealed class DiskSpool : IDisposable
{
    /// <summary>Segments are deleted whole once read; 8 MiB keeps the space held by read entries small.</summary>
    private const long SegmentBytes = 8L * 1024 * 1024;

    private const int ReadChunk = 64 * 1024;
    private const string Extension = ".spool";
    private const string CursorFile = "cursor";
    private const string LockFile = "lock";

    private readonly Lock _gate = new();
    private readonly string _directory;
    private readonly long _maxBytes;
    private readonly FileStream _lock;
    private readonly List<long> _segments = [];
    private readonly Func<string, Stream> _openSegment;
    private Stream? _writer;
    private long _writeSegment = -1;
    private long _readSegment;
    private long _readOffset;
    private string? _progress;

    /// <param name="openSegment">Creates a new segment file for writing (tests put a failing disk behind it).</param>
    /// <exception cref="IOException">The folder cannot be created, or another process holds the spool.</exception>
    public DiskSpool(string directory, long maxBytes, Func<string, Stream>? openSegment = null)
    {
        _directory = directory;
        _maxBytes = maxBytes;
        _openSegment = openSegment ?? CreateSegment;
        Directory.CreateDirectory(directory);
        try
        {
            _lock = new FileStream(Path.Combine(directory, LockFile), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e)
        {
            throw new IOException($"spool {directory} is in use by another process ({e.Message})", e);
        }

        foreach (string file in Directory.EnumerateFiles(directory, "*" + Extension))
        {
            if (long.TryParse(Path.GetFileNameWithoutExtension(file), NumberStyles.None, CultureInfo.InvariantCulture, out long segment))
            {
                _segments.Add(segment);
            }
        }

        _segments.Sort();
        ReadCursor();
        _segments.RemoveAll(segment =>
        {
            if (segment >= _readSegment)
            {
                return false;
            }

            File.Delete(SegmentPath(segment));
            return true;
        });
        foreach (long segment in _segments)
        {
            Bytes += new FileInfo(SegmentPath(segment)).Length;
        }

        Bytes -= _segments.Contains(_readSegment) ? _readOffset : 0;
    }

    /// <summary>Bytes of unread entries (with their newlines).</summary>
    public long Bytes { get; private set; }

    public bool IsEmpty
    {
        get
        {
            lock (_gate)
            {
                return Bytes <= 0;
            }
        }
    }

    public bool HasRoom(long bytes)
    {
        lock (_gate)
        {
            return Bytes + bytes <= _maxBytes;
        }
    }

    public bool TryAppend(byte[] entry) => TryAppend([entry]);

    /// <summary>Appends all entries or none; false when they do not fit or the disk refuses them.</summary>
    public bool TryAppend(IReadOnlyList<byte[]> entries, int start = 0)
    {
        long size = 0;
        for (int i = start; i < entries.Count; i++)
        {
            size += entries[i].Length + 1;
        }

        lock (_gate)
        {
            if (Bytes + size > _maxBytes)
            {
                return false;
            }

            Stream writer;
            try
            {
                writer = Writer();
            }
            catch (IOException)
            {
                return false;
            }

            // The batch goes to the file in one write from one buffer; a failure (a full disk) takes the segment back
            // to where it ended, so no line of a refused batch, whole or cut, is ever read back.
            long before;
            try
            {
                before = writer.Length;
            }
            catch (IOException)
            {
                return false; // nothing written yet
            }

            byte[] lines = ArrayPool<byte>.Shared.Rent((int)Math.Min(size, Array.MaxLength));
            try
            {
                if (size > lines.Length)
                {
                    return false;
                }

                int length = 0;
                for (int i = start; i < entries.Count; i++)
                {
                    entries[i].CopyTo(lines, length);
                    length += entries[i].Length;
                    lines[length++] = (byte)'\n';
                }

                writer.Write(lines, 0, length);
                writer.Flush();
                Bytes += length;
                return true;
            }
            catch (IOException)
            {
                TruncateOrAbandon(writer, before);
                return false;
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(lines);
            }
        }
    }

    /// <summary>
    /// After a failed append: the segment back to where the refused batch began. If even that fails, the segment is
    /// closed and the next append starts a new one: the reader skips the cut line at the end of the old one (and
    /// counts it), but whole lines of the refused batch before it are read back and sent, though counted as dropped.
    /// </summary>
    private void TruncateOrAbandon(Stream writer, long length)
    {
        try
        {
            writer.SetLength(length);
            writer.Position = length;
            writer.Flush();
        }
        catch (IOException)
        {
            try
            {
                writer.Dispose();
            }
            catch (IOException)
            {
                // A close that cannot write its buffer either: the segment is left as it is.
            }

            _writer = null;
        }
    }

    /// <summary>
    /// The next entries (at most <paramref name="maxEntries"/> and <paramref name="maxBytes"/>, but always the first
    /// one if it is within <paramref name="maxEntryBytes"/>, by default <paramref name="maxBytes"/>) from one
    /// segment, or null when the spool is empty. They stay in the spool until <see cref="Commit"/>.
    /// </summary>
    public SpoolBatch? Read(int maxEntries, long maxBytes, long? maxEntryBytes = null)
    {
        lock (_gate)
        {
            while (_segments.Count > 0)
            {
                if (!_segments.Contains(_readSegment))
                {
                    _readSegment = _segments[0];
                    _readOffset = 0;
                    _progress = null;
                }

                long length = new FileInfo(SegmentPath(_readSegment)).Length;
                bool active = _readSegment == _writeSegment;
                if (_readOffset < length)
                {
                    return ReadSegment(length, maxEntries, maxBytes, maxEntryBytes ?? maxBytes, active);
                }

                if (active)
                {
                    return null;
                }

                // A finished segment: delete it and go on with the next.
                File.Delete(SegmentPath(_readSegment));
                _segments.Remove(_readSegment);
                _readOffset = 0;
                _progress = null;
                _readSegment = _segments.Count > 0 ? _segments[0] : _readSegment + 1;
                WriteCursor();
            }

            return null;
        }
    }

    /// <summary>
    /// Records how far delivery of the head entry got (the caller's own words, e.g. item counts), so a restart
    /// resumes inside a large entry instead of sending its first part again. Written by rename; cheap.
    /// </summary>
    public void SaveProgress(SpoolBatch batch, string progress)
    {
        lock (_gate)
        {
            if (batch.Segment != _readSegment || batch.Start != _readOffset)
            {
                return;
            }

            _progress = progress;
            WriteCursor();
        }
    }

    /// <summary>Removes a batch returned by <see cref="Read"/>; the position is on disk when this returns.</summary>
    public void Commit(SpoolBatch batch)
    {
        lock (_gate)
        {
            if (batch.Segment != _readSegment || batch.Start != _readOffset)
            {
                return;
            }

            _readOffset = batch.End;
            _progress = null;
            Bytes -= batch.End - batch.Start;
            WriteCursor();
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _writer?.Dispose();
            _writer = null;
            _lock.Dispose();
        }
    }

    /// <summary>
    /// Reads whole lines from the read position in chunks, so one small entry never costs a read of the segment.
    /// A line longer than <paramref name="maxEntryBytes"/>, or cut by a crash at the end of an old segment, cannot be
    /// sent: it is skipped (and counted) on its own.
    /// </summary>
    private SpoolBatch? ReadSegment(long length, int maxEntries, long maxBytes, long maxEntryBytes, bool active)
    {
        using var stream = new FileStream(SegmentPath(_readSegment), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        stream.Position = _readOffset;
        byte[] chunk = ArrayPool<byte>.Shared.Rent(ReadChunk);
        var line = new ArrayBufferWriter<byte>();
        var entries = new List<byte[]>();
        var ends = new List<long>();
        long bytes = 0;
        long lineStart = _readOffset;
        long position = _readOffset;
        try
        {
            while (position < length)
            {
                int read = stream.Read(chunk, 0, (int)Math.Min(chunk.Length, length - position));
                if (read <= 0)
                {
                    break;
                }

                int from = 0;
                while (from < read)
                {
                    int newline = Array.IndexOf(chunk, (byte)'\n', from, read - from);
                    if (newline < 0)
                    {
                        if (line.WrittenCount <= maxEntryBytes)
                        {
                            line.Write(chunk.AsSpan(from, read - from));
                        }

                        break;
                    }

                    long lineEnd = position + newline;
                    long size = lineEnd - lineStart;
                    if (size > maxEntryBytes)
                    {
                        return entries.Count > 0 ? Batch(entries, ends, lineStart, 0) : Batch(entries, ends, lineEnd + 1, skipped: 1);
                    }

                    if (entries.Count > 0 && bytes + size > maxBytes)
                    {
                        return Batch(entries, ends, lineStart, 0);
                    }

                    line.Write(chunk.AsSpan(from, newline - from));
                    if (size > 0)
                    {
                        entries.Add(line.WrittenSpan.ToArray());
                        ends.Add(lineEnd + 1);
                        bytes += size;
                    }

                    line.Clear();
                    lineStart = lineEnd + 1;
                    from = newline + 1;
                    if (entries.Count >= maxEntries)
                    {
                        return Batch(entries, ends, lineStart, 0);
                    }
                }

                position += read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        if (lineStart > _readOffset)
        {
            return Batch(entries, ends, lineStart, 0);
        }

        // No complete line: the active segment only ever holds whole lines (appends are under the gate), so this
        // is a line cut by a crash at the end of an old segment.
        return active ? null : Batch(entries, ends, length, skipped: 1);
    }

    private SpoolBatch Batch(List<byte[]> entries, List<long> ends, long end, int skipped) =>
        new(entries, _readSegment, _readOffset, end, skipped) { Progress = _progress, EntryEnds = ends };

    private Stream Writer()
    {
        if (_writer is not null && _writer.Length < SegmentBytes)
        {
            return _writer;
        }

        _writer?.Dispose();
        _writeSegment = _segments.Count > 0 ? _segments[^1] + 1 : Math.Max(_readSegment, 1);
        _segments.Add(_writeSegment);
        _writer = _openSegment(SegmentPath(_writeSegment));
        return _writer;
    }

    /// <summary>Unbuffered: each append is one write of its whole batch, and a failed one leaves nothing in a buffer to come later.</summary>
    private static FileStream CreateSegment(string path) =>
        new(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read | FileShare.Delete, bufferSize: 0);

    private string SegmentPath(long segment) =>
        Path.Combine(_directory, segment.ToString("D12", CultureInfo.InvariantCulture) + Extension);

    /// <summary>The cursor file: <c>segment offset [progress]</c>.</summary>
    private void ReadCursor()
    {
        _readSegment = _segments.Count > 0 ? _segments[0] : 1;
        _readOffset = 0;
        string path = Path.Combine(_directory, CursorFile);
        if (!File.Exists(path))
        {
            return;
        }

        string[] parts = File.ReadAllText(path).Split(' ', 3, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length >= 2
            && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out long segment)
            && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out long offset)
            && _segments.Contains(segment))
        {
            _readSegment = segment;
            _readOffset = offset;
            _progress = parts.Length == 3 ? parts[2].Trim() : null;
        }
        else if (parts.Length >= 2 && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out long gone))
        {
            // The cursor's segment was finished and deleted: resume at the first segment after it.
            _readSegment = _segments.Find(s => s > gone) is var next and > 0 ? next : gone + 1;
        }
    }

    private void WriteCursor()
    {
        string path = Path.Combine(_directory, CursorFile);
        string temporary = path + ".tmp";
        File.WriteAllText(temporary, _progress is null
            ? string.Create(CultureInfo.InvariantCulture, $"{_readSegment} {_readOffset}")
            : string.Create(CultureInfo.InvariantCulture, $"{_readSegment} {_readOffset} {_progress}"));
        File.Move(temporary, path, overwrite: true);
    }
}
