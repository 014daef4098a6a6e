using System.Globalization;

namespace FalcoCheck.Sinks.Logs;

/// <summary>
/// A disk queue of log entries for one sink: append-only segment files of one entry per line, read in order, with
/// the read position (segment and offset) in a small <c>cursor</c> file written by rename, so a restart resumes
/// where delivery stopped. Bounded by <c>maxBytes</c> of unread entries. A new segment is started at every
/// start-up, so a line cut by a crash is only ever at the end of an old segment, where it is skipped.
/// </summary>
internal sealed class LogSpool : IDisposable
{
    /// <summary>Segments are deleted whole once read; 8 MiB keeps the space held by read entries small.</summary>
    private const long SegmentBytes = 8L * 1024 * 1024;

    private const string Extension = ".spool";
    private const string CursorFile = "cursor";

    private readonly Lock _gate = new();
    private readonly string _directory;
    private readonly long _maxBytes;
    private readonly List<long> _segments = [];
    private FileStream? _writer;
    private long _writeSegment = -1;
    private long _readSegment;
    private long _readOffset;

    public LogSpool(string directory, long maxBytes)
    {
        _directory = directory;
        _maxBytes = maxBytes;
        Directory.CreateDirectory(directory);
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

            try
            {
                FileStream writer = Writer();
                long before = writer.Length;
                for (int i = start; i < entries.Count; i++)
                {
                    writer.Write(entries[i]);
                    writer.WriteByte((byte)'\n');
                }

                writer.Flush();
                Bytes += writer.Length - before;
                return true;
            }
            catch (IOException)
            {
                return false;
            }
        }
    }

    /// <summary>The next entries from one segment, or null when the spool is empty.</summary>
    public SpoolBatch? Read(int maxEntries, long maxBytes)
    {
        lock (_gate)
        {
            while (_segments.Count > 0)
            {
                if (!_segments.Contains(_readSegment))
                {
                    _readSegment = _segments[0];
                    _readOffset = 0;
                }

                long length = new FileInfo(SegmentPath(_readSegment)).Length;
                bool active = _readSegment == _writeSegment;
                if (_readOffset < length)
                {
                    return ReadSegment(length, maxEntries, maxBytes);
                }

                if (active)
                {
                    return null;
                }

                // A finished segment: delete it and go on with the next.
                File.Delete(SegmentPath(_readSegment));
                _segments.Remove(_readSegment);
                _readOffset = 0;
                _readSegment = _segments.Count > 0 ? _segments[0] : _readSegment + 1;
                WriteCursor();
            }

            return null;
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
        }
    }

    private SpoolBatch ReadSegment(long length, int maxEntries, long maxBytes)
    {
        using var stream = new FileStream(SegmentPath(_readSegment), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        stream.Position = _readOffset;
        var buffer = new byte[(int)Math.Min(length - _readOffset, maxBytes + 1)];
        stream.ReadExactly(buffer);

        var entries = new List<byte[]>();
        int position = 0;
        while (position < buffer.Length && entries.Count < maxEntries)
        {
            int newline = Array.IndexOf(buffer, (byte)'\n', position);
            if (newline < 0)
            {
                break;
            }

            if (newline > position)
            {
                entries.Add(buffer.AsSpan(position, newline - position).ToArray());
            }

            position = newline + 1;
        }

        if (position == 0)
        {
            // No complete line in the window: an entry larger than a batch, or a line cut by a crash at the end of an
            // old segment. Neither can be sent; skip to the end of the line (or of the segment).
            return new SpoolBatch(entries, _readSegment, _readOffset, FindLineEnd(stream, length), Skipped: 1);
        }

        return new SpoolBatch(entries, _readSegment, _readOffset, _readOffset + position, Skipped: 0);
    }

    private long FindLineEnd(FileStream stream, long length)
    {
        stream.Position = _readOffset;
        int b;
        while ((b = stream.ReadByte()) >= 0)
        {
            if (b == '\n')
            {
                return stream.Position;
            }
        }

        return length;
    }

    private FileStream Writer()
    {
        if (_writer is not null && _writer.Length < SegmentBytes)
        {
            return _writer;
        }

        _writer?.Dispose();
        _writeSegment = _segments.Count > 0 ? _segments[^1] + 1 : Math.Max(_readSegment, 1);
        _segments.Add(_writeSegment);
        _writer = new FileStream(SegmentPath(_writeSegment), FileMode.CreateNew, FileAccess.Write, FileShare.Read | FileShare.Delete);
        return _writer;
    }

    private string SegmentPath(long segment) =>
        Path.Combine(_directory, segment.ToString("D12", CultureInfo.InvariantCulture) + Extension);

    private void ReadCursor()
    {
        _readSegment = _segments.Count > 0 ? _segments[0] : 1;
        _readOffset = 0;
        string path = Path.Combine(_directory, CursorFile);
        if (!File.Exists(path))
        {
            return;
        }

        string[] parts = File.ReadAllText(path).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 2
            && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out long segment)
            && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out long offset)
            && _segments.Contains(segment))
        {
            _readSegment = segment;
            _readOffset = offset;
        }
        else if (parts.Length == 2 && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out long gone))
        {
            // The cursor's segment was finished and deleted: resume at the first segment after it.
            _readSegment = _segments.Find(s => s > gone) is var next and > 0 ? next : gone + 1;
        }
    }

    private void WriteCursor()
    {
        string path = Path.Combine(_directory, CursorFile);
        string temporary = path + ".tmp";
        File.WriteAllText(temporary, string.Create(CultureInfo.InvariantCulture, $"{_readSegment} {_readOffset}"));
        File.Move(temporary, path, overwrite: true);
    }
}
