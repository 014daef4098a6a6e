using System.Text;
using FalcoCheck.Sinks.Delivery;
using FalcoCheck.Tests.Configuration;

namespace FalcoCheck.Tests.Sinks;

/// <summary>The disk spool: order, limits, and a restart that resumes where delivery stopped.</summary>
internal sealed class DiskSpoolTests
{
    private static byte[][] Entries(int from, int count) =>
        [.. Enumerable.Range(from, count).Select(i => Encoding.UTF8.GetBytes($"{{\"n\":{i}}}"))];

    private static List<string> Texts(SpoolBatch batch) => [.. batch.Entries.Select(e => Encoding.UTF8.GetString(e))];

    [Test]
    public void Entries_come_back_in_order_and_leave_only_when_committed()
    {
        using var dir = new TempDir();
        using var spool = new DiskSpool(dir.Path, 1024 * 1024);

        Assert.That(spool.TryAppend(Entries(1, 5)), Is.True);
        SpoolBatch first = spool.Read(3, 1024)!;
        SpoolBatch again = spool.Read(3, 1024)!;
        spool.Commit(first);
        SpoolBatch rest = spool.Read(10, 1024)!;
        spool.Commit(rest);

        Assert.That(Texts(first), Is.EqualTo(new[] { "{\"n\":1}", "{\"n\":2}", "{\"n\":3}" }));
        Assert.That(Texts(again), Is.EqualTo(Texts(first)), "not committed: read again");
        Assert.That(Texts(rest), Is.EqualTo(new[] { "{\"n\":4}", "{\"n\":5}" }));
        Assert.That(spool.Read(10, 1024), Is.Null);
        Assert.That(spool.IsEmpty, Is.True);
    }

    [Test]
    public void A_restart_resumes_after_the_last_commit()
    {
        using var dir = new TempDir();
        using (var spool = new DiskSpool(dir.Path, 1024 * 1024))
        {
            spool.TryAppend(Entries(1, 4));
            spool.Commit(spool.Read(2, 1024)!);
        }

        using var reopened = new DiskSpool(dir.Path, 1024 * 1024);
        reopened.TryAppend(Entries(5, 1));
        var seen = new List<string>();
        while (reopened.Read(10, 1024) is { } batch)
        {
            seen.AddRange(Texts(batch));
            reopened.Commit(batch);
        }

        Assert.That(seen, Is.EqualTo(new[] { "{\"n\":3}", "{\"n\":4}", "{\"n\":5}" }));
        Assert.That(Directory.GetFiles(dir.Path, "*.spool"), Has.Length.EqualTo(1), "read segments are deleted");
    }

    [Test]
    public void It_refuses_what_does_not_fit_all_or_nothing()
    {
        using var dir = new TempDir();
        using var spool = new DiskSpool(dir.Path, 20);

        Assert.That(spool.TryAppend(Entries(1, 2)), Is.True, "2 × 8 bytes fit in 20");
        Assert.That(spool.TryAppend(Entries(3, 1)), Is.False);
        Assert.That(spool.HasRoom(4), Is.True);
        Assert.That(spool.Bytes, Is.EqualTo(16));
    }

    [Test]
    public void A_line_cut_by_a_crash_and_an_oversized_entry_are_skipped_and_counted()
    {
        using var dir = new TempDir();
        File.WriteAllText(Path.Combine(dir.Path, "000000000001.spool"), "{\"n\":1}\n{\"n\":2}\n{\"n\":");
        using var spool = new DiskSpool(dir.Path, 1024 * 1024);
        spool.TryAppend([Encoding.UTF8.GetBytes(new string('x', 100))]);
        spool.TryAppend(Entries(9, 1));

        var seen = new List<string>();
        int skipped = 0;
        while (spool.Read(10, 50) is { } batch)
        {
            seen.AddRange(Texts(batch));
            skipped += batch.Skipped;
            spool.Commit(batch);
        }

        Assert.That(seen, Is.EqualTo(new[] { "{\"n\":1}", "{\"n\":2}", "{\"n\":9}" }));
        Assert.That(skipped, Is.EqualTo(2));
    }
}
