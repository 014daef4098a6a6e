using System.Text;
using FalcoCheck.Sinks.Delivery;
using FalcoCheck.Tests.Configuration;

namespace FalcoCheck.Tests.Sinks;

/// <summary>
/// A disk that fills in the middle of an append: the spool keeps none of that batch (no whole lines, no half line),
/// its byte count stays true, and what is appended once the disk has room again reads back as it was written.
/// </summary>
internal sealed class DiskSpoolWriteFailureTests
{
    /// <summary>A segment file that refuses to grow past <c>failAt</c> bytes once, as a full disk does: it writes what fits, then throws.</summary>
    private sealed class FillingDisk(string path, long failAt) : Stream
    {
        private readonly FileStream _file = new(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read | FileShare.Delete);
        private bool _full = true;

        public override bool CanRead => false;

        public override bool CanSeek => true;

        public override bool CanWrite => true;

        public override long Length => _file.Length;

        public override long Position { get => _file.Position; set => _file.Position = value; }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            if (_full && _file.Position + buffer.Length > failAt)
            {
                _full = false;
                int fits = (int)Math.Max(0, failAt - _file.Position);
                _file.Write(buffer[..fits]);
                _file.Flush();
                throw new IOException("No space left on device");
            }

            _file.Write(buffer);
            _file.Flush();
        }

        public override void Flush() => _file.Flush();

        public override void SetLength(long value) => _file.SetLength(value);

        public override long Seek(long offset, SeekOrigin origin) => _file.Seek(offset, origin);

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _file.Dispose();
            }

            base.Dispose(disposing);
        }
    }

    private static byte[][] Entries(string prefix, int count) =>
        [.. Enumerable.Range(1, count).Select(i => Encoding.UTF8.GetBytes($"{{\"{prefix}\":{i},\"pad\":\"{new string('p', 40)}\"}}"))];

    private static long Size(byte[][] entries) => entries.Sum(e => e.Length + 1L);

    private static List<string> Texts(SpoolBatch batch) => [.. batch.Entries.Select(e => Encoding.UTF8.GetString(e))];

    [Test]
    public void A_batch_the_disk_cuts_short_leaves_nothing_behind_and_the_next_batch_reads_back_whole()
    {
        using var dir = new TempDir();
        byte[][] a = Entries("a", 2);
        byte[][] b = Entries("b", 3);
        byte[][] c = Entries("c", 2);
        // The disk fills one and a half lines into b.
        long failAt = Size(a) + b[0].Length + 1 + b[1].Length / 2;
        using (var spool = new DiskSpool(dir.Path, 1024 * 1024, path => new FillingDisk(path, failAt)))
        {
            Assert.That(spool.TryAppend(a), Is.True);
            Assert.That(spool.TryAppend(b), Is.False, "the disk refused b");
            Assert.That(spool.Bytes, Is.EqualTo(Size(a)), "none of b counted");
            Assert.That(spool.TryAppend(c), Is.True, "the disk has room again");
            Assert.That(spool.Bytes, Is.EqualTo(Size(a) + Size(c)));

            SpoolBatch read = spool.Read(100, 1024 * 1024)!;
            Assert.That(Texts(read), Is.EqualTo(a.Concat(c).Select(e => Encoding.UTF8.GetString(e))), "a then c, nothing of b");
            Assert.That(read.Skipped, Is.Zero, "no half line");
        }

        using var reopened = new DiskSpool(dir.Path, 1024 * 1024);
        Assert.That(reopened.Bytes, Is.EqualTo(Size(a) + Size(c)), "what is on disk is what was counted");
        Assert.That(Texts(reopened.Read(100, 1024 * 1024)!), Is.EqualTo(a.Concat(c).Select(e => Encoding.UTF8.GetString(e))));
    }

    [Test]
    public void Reading_right_after_a_refused_append_gives_the_batch_that_was_kept()
    {
        // The queue's Spill appends the batch in delivery to an empty spool and reads exactly its lines back.
        using var dir = new TempDir();
        byte[][] b = Entries("b", 3);
        byte[][] c = Entries("c", 2);
        long failAt = b[0].Length + 1 + 3;
        using var spool = new DiskSpool(dir.Path, 1024 * 1024, path => new FillingDisk(path, failAt));

        Assert.That(spool.TryAppend(b), Is.False);
        Assert.That(spool.IsEmpty, Is.True);
        Assert.That(spool.TryAppend(c), Is.True);
        SpoolBatch read = spool.Read(c.Length, 1024 * 1024)!;

        Assert.That(Texts(read), Is.EqualTo(c.Select(e => Encoding.UTF8.GetString(e))));
        Assert.That(read.Skipped, Is.Zero);
    }
}
