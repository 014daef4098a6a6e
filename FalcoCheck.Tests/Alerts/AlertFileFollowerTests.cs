using System.Text;
using FalcoCheck.Alerts;
using FalcoCheck.Configuration;
using FalcoCheck.Sinks.Delivery;
using FalcoCheck.Sinks.Logs;
using FalcoCheck.Tests.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using static FalcoCheck.Tests.Alerts.AlertSamples;

namespace FalcoCheck.Tests.Alerts;

/// <summary>Following Falco's file_output while a Falco-like writer goes on: rotation, truncation, restarts.</summary>
internal sealed class AlertFileFollowerTests
{
    private static AlertHarness Harness(string events, RecordingLogSink sink, string stateDir) =>
        new(c => c with { Http = null, Files = [events] }, _ => sink, stateDir: stateDir);

    /// <summary>Appends alerts as Falco does: one line each, flushed, the file reopened per write (like a reopen on SIGUSR1).</summary>
    private static void Write(string path, int from, int count)
    {
        using var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
        for (int n = from; n < from + count; n++)
        {
            stream.Write(Utf8(Numbered(n) + "\n"));
        }
    }

    private static int[] Numbers(RecordingLogSink sink) => [.. sink.Entries.Select(Number)];

    [Test]
    public async Task Follows_new_lines_and_a_restart_neither_loses_nor_repeats()
    {
        using var dir = new TempDir();
        string events = Path.Combine(dir.Path, "events.json");
        Write(events, 1, 3);
        var sink = new RecordingLogSink();
        await using (AlertHarness first = await Harness(events, sink, dir.Path).StartAsync())
        {
            await Eventually.TrueAsync(() => sink.Entries.Count == 3, "the existing lines");
            Write(events, 4, 2);
            await Eventually.TrueAsync(() => sink.Entries.Count == 5, "the new lines");
        }

        Write(events, 6, 2); // written while FalcoCheck is stopped
        await using AlertHarness second = await Harness(events, sink, dir.Path).StartAsync();
        await Eventually.TrueAsync(() => sink.Entries.Count >= 7, "the lines written while stopped");
        Write(events, 8, 1);
        await Eventually.TrueAsync(() => sink.Entries.Count >= 8, "and new ones");

        Assert.That(Numbers(sink), Is.EqualTo(Enumerable.Range(1, 8)));
    }

    [Test]
    public async Task A_line_being_written_waits_for_its_newline()
    {
        using var dir = new TempDir();
        string events = Path.Combine(dir.Path, "events.json");
        string alert = Numbered(1);
        File.WriteAllText(events, alert[..40]);
        var sink = new RecordingLogSink();
        await using AlertHarness harness = await Harness(events, sink, dir.Path).StartAsync();

        await Task.Delay(200);
        Assert.That(sink.Entries, Is.Empty, "half a line is not an alert yet");
        File.AppendAllText(events, alert[40..] + "\n");
        await Eventually.TrueAsync(() => sink.Entries.Count == 1, "the completed line");
    }

    [Test]
    public async Task Rotation_and_truncation_while_writes_go_on_lose_and_repeat_nothing()
    {
        using var dir = new TempDir();
        string events = Path.Combine(dir.Path, "events.json");
        var sink = new RecordingLogSink();
        await using AlertHarness harness = await Harness(events, sink, dir.Path).StartAsync();

        int next = 1;
        async Task WriteSome(int count)
        {
            for (int i = 0; i < count; i++)
            {
                Write(events, next++, 1);
                if (i % 10 == 0)
                {
                    await Task.Delay(5);
                }
            }
        }

        await WriteSome(100);

        // logrotate's default: rename, and Falco goes on writing to the old file until it reopens.
        await Eventually.TrueAsync(() => sink.Entries.Count > 0, "reading started");
        File.Move(events, events + ".1");
        Write(events + ".1", next, 5);
        next += 5;
        await WriteSome(100); // Falco reopened: a new events.json

        // logrotate's copytruncate: copy, then truncate in place while Falco keeps its handle.
        await Eventually.TrueAsync(() => sink.Entries.Count == next - 1, "everything before the truncation");
        File.Copy(events, events + ".2");
        using (var truncate = new FileStream(events, FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete))
        {
            truncate.SetLength(0);
        }

        await WriteSome(100);

        await Eventually.TrueAsync(() => sink.Entries.Count >= next - 1, "every alert written");
        await Task.Delay(300);
        Assert.That(Numbers(sink).Order(), Is.EqualTo(Enumerable.Range(1, next - 1)), "each alert exactly once");
    }

    [Test]
    public async Task A_restart_after_a_rotation_finishes_the_rotated_file_first()
    {
        using var dir = new TempDir();
        string events = Path.Combine(dir.Path, "events.json");
        Write(events, 1, 3);
        var sink = new RecordingLogSink();
        await using (AlertHarness first = await Harness(events, sink, dir.Path).StartAsync())
        {
            await Eventually.TrueAsync(() => sink.Entries.Count == 3, "the first lines");
        }

        Write(events, 4, 2);
        File.Move(events, events + ".1");
        Write(events, 6, 2);
        await using AlertHarness second = await Harness(events, sink, dir.Path).StartAsync();

        await Eventually.TrueAsync(() => sink.Entries.Count >= 7, "the rest of the old file and the new one");
        await Task.Delay(300);
        Assert.That(Numbers(sink).Order(), Is.EqualTo(Enumerable.Range(1, 7)));
    }

    [Test]
    public async Task Bad_lines_are_skipped_and_good_ones_kept()
    {
        using var dir = new TempDir();
        string events = Path.Combine(dir.Path, "events.json");
        File.WriteAllText(events, Numbered(1) + "\nnot json\n" + "{\"rule\":\"r\"}\n" + Numbered(2) + "\n", Encoding.UTF8);
        var sink = new RecordingLogSink();
        await using AlertHarness harness = await Harness(events, sink, dir.Path).StartAsync();

        await Eventually.TrueAsync(() => sink.Entries.Count == 2, "the two alerts");
        Assert.That(Numbers(sink), Is.EqualTo(new[] { 1, 2 }));
    }

    /// <summary>An alert with a 300 KiB output: longer than a chunk (256 KiB), so it cannot be read as one.</summary>
    internal static string Oversized() =>
        "{\"hostname\":\"node-1\",\"output\":\"" + new string('x', 300 * 1024) + "\",\"priority\":\"Warning\",\"rule\":\"Test rule\",\"output_fields\":{\"n\":0}}";

    [Test]
    public async Task A_line_longer_than_a_chunk_is_skipped_and_the_alerts_after_it_are_read()
    {
        using var dir = new TempDir();
        string events = Path.Combine(dir.Path, "events.json");
        Write(events, 1, 2);
        File.AppendAllText(events, Oversized() + "\n");
        Write(events, 3, 3);
        var sink = new RecordingLogSink();
        await using (AlertHarness harness = await Harness(events, sink, dir.Path).StartAsync())
        {
            await Eventually.TrueAsync(() => sink.Entries.Count >= 5, "the alerts around the long line");

            // One written in two parts while followed: the skip waits for the newline, then the next line is read.
            File.AppendAllText(events, Oversized()[..(200 * 1024)]);
            await Task.Delay(100);
            File.AppendAllText(events, new string('y', 200 * 1024) + "\n");
            Write(events, 6, 1);
            await Eventually.TrueAsync(() => sink.Entries.Count >= 6, "the alert after the second long line");
        }

        Assert.That(Numbers(sink), Is.EqualTo(Enumerable.Range(1, 6)));
    }

    [Test]
    public async Task A_stop_while_the_rotated_file_is_still_read_resumes_its_rest_after_the_restart()
    {
        using var dir = new TempDir();
        string events = Path.Combine(dir.Path, "events.json");
        var clock = new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddYears(55));
        var sink = new RecordingLogSink();
        await using var queue = new DeliveryQueue<LogBatch>(sink, new DeliveryOptions(), TimeProvider.System);
        var intake = new AlertIntake(Context(clock), [queue], new AlertCounter());
        var options = new FollowOptions { PollInterval = TimeSpan.FromMilliseconds(20), RotateWait = TimeSpan.FromSeconds(5) };
        AlertFileFollower Follower() =>
            new(events, new FileOffsetStore(Path.Combine(dir.Path, "files"), events), intake, options, NullLogger.Instance, clock);

        Write(events, 1, 3);
        AlertFileFollower first = Follower();
        await first.PollAsync(CancellationToken.None);

        // logrotate renames the file, Falco goes on writing to the renamed one until it reopens on SIGUSR1.
        File.Move(events, events + ".1");
        Write(events, 4, 2);
        await first.PollAsync(CancellationToken.None);
        Write(events + ".1", 6, 2);
        await Eventually.TrueAsync(() => sink.Entries.Count == 5, "the alerts read before the stop");

        // Stopped before the renamed file's last lines were read (it is read for 5 s after the rotation).
        AlertFileFollower second = Follower();
        await second.PollAsync(CancellationToken.None);
        Write(events, 8, 1);
        await second.PollAsync(CancellationToken.None);

        await Eventually.TrueAsync(() => sink.Entries.Count >= 8, "the rest of the renamed file and the new line");
        Assert.That(Numbers(sink).Order(), Is.EqualTo(Enumerable.Range(1, 8)), "nothing lost, nothing repeated");
    }
}
