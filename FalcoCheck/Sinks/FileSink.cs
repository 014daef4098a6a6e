using System.Buffers;
using FalcoCheck.Sinks.Delivery;

namespace FalcoCheck.Sinks;

/// <summary>
/// Appends submissions to a file as JSON lines (the contract of <see cref="JsonLinesEncoder"/>). Each request is
/// written with one append, so a reader never sees half a line. Runs behind a <see cref="QueuedSink"/>.
/// </summary>
internal sealed class FileSink(string path) : IBatchSender<Batch>
{
    public string Name => "file:" + path;

    public bool SendsEvents => true;

    public async Task<SendAttempt> SendAsync(Batch batch, CancellationToken cancellationToken)
    {
        var submission = batch.RemainingSubmission();
        var buffer = new ArrayBufferWriter<byte>();
        JsonLinesEncoder.Write(submission, buffer);
        var attempt = new SendAttempt(DeliveryOutcome.Sent, submission.Metrics.Count, submission.ServiceChecks.Count) { Events = submission.Events.Count };
        try
        {
            if (Path.GetDirectoryName(Path.GetFullPath(path)) is { } directory)
            {
                Directory.CreateDirectory(directory);
            }

            var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
            await using (stream.ConfigureAwait(false))
            {
                await stream.WriteAsync(buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
            }

            return attempt;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A full disk or a permission fixed later: the queue keeps the points and tries again.
            return attempt with { Outcome = DeliveryOutcome.Retry($"cannot write {path}: {e.Message}") };
        }
    }

    public void Dispose()
    {
    }
}
