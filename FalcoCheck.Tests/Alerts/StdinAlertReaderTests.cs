using System.Text;
using FalcoCheck.Alerts;
using static FalcoCheck.Tests.Alerts.AlertSamples;

namespace FalcoCheck.Tests.Alerts;

/// <summary><c>alerts --stdin</c>: lines from a pipe, as Falco's program_output writes them.</summary>
internal sealed class StdinAlertReaderTests
{
    /// <summary>A pipe that gives what was written in reads of at most <paramref name="step"/> bytes.</summary>
    private sealed class Trickle(byte[] data, int step) : MemoryStream(data)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, step)], cancellationToken);
    }

    [TestCase(int.MaxValue, TestName = "A line longer than the buffer is skipped and the alerts after it are read (whole reads)")]
    [TestCase(4096, TestName = "A line longer than the buffer is skipped and the alerts after it are read (4 KiB reads)")]
    public async Task A_line_longer_than_the_buffer_is_skipped_and_the_alerts_after_it_are_read(int step)
    {
        var sink = new RecordingLogSink();
        await using AlertHarness harness = await new AlertHarness(_ => _, _ => sink,
            options: new AlertPipelineOptions { ServeInputs = false, Drain = TimeSpan.FromSeconds(2) }).StartAsync();
        string lines = Numbered(1) + "\n" + AlertFileFollowerTests.Oversized() + "\n" + Numbered(2) + "\n" + Numbered(3) + "\n"
            + AlertFileFollowerTests.Oversized() + AlertFileFollowerTests.Oversized() + "\n" + Numbered(4) + "\n";

        long queued = await harness.Pipeline.ReadAsync(new Trickle(Encoding.UTF8.GetBytes(lines), step), CancellationToken.None);
        await harness.Pipeline.StopAsync(CancellationToken.None);

        Assert.That(queued, Is.EqualTo(4));
        Assert.That(sink.Entries.Select(Number), Is.EqualTo(new[] { 1, 2, 3, 4 }));
    }
}
