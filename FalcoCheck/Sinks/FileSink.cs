using System.Buffers;
using FalcoCheck.Sinks.Delivery;

namespace FalcoCheck.Sinks;

/// <summary>
/// Appends submissions to a file as JSON lines (the contract of <see cref="JsonLinesEncoder"/>). Each request is
/// written with one append, so a reader never sees half a line. Runs behind a <see cref="QueuedSink"/>, whose one
/// worker calls it one batch at a time.
/// </summary>
internal sealed class FileSink(string path) : IBatchSender<Batch>
{
    /// <summary>A buffer grown past this (a large merged batch) is not kept for the next one.</summary>
    private const int KeptBufferBytes = 1024 * 1024;

    /// <summary>
    /// Reused across batches: a fresh one grew by doubling from 256 bytes for every batch (a daemon's 100 instances
    /// write 100 batches every 15 s), copies and garbage for nothing.
    /// </summary>
    private ArrayBufferWriter<byte> _buffer = new();

    public string Name => "file:" + path;

    public bool SendsEvents => true;

    public Task<SendAttempt> SendAsync(Batch batch, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<SendAttempt>(cancellationToken);
        }

        var submission = batch.RemainingSubmission();
        var buffer = _buffer;
        buffer.ResetWrittenCount();
        JsonLinesEncoder.Write(submission, buffer);
        var attempt = new SendAttempt(DeliveryOutcome.Sent, submission.Metrics.Count, submission.ServiceChecks.Count) { Events = submission.Events.Count };
        try
        {
            if (Path.GetDirectoryName(Path.GetFullPath(path)) is { } directory)
            {
                Directory.CreateDirectory(directory);
            }

            // A plain write: a local append takes microseconds, and FileStream's async path on Unix hands each write
            // to another pool thread (one more wake-up per batch). No FileStream buffer: the batch is one write.
            using var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite, bufferSize: 0);
            stream.Write(buffer.WrittenSpan);
            return Task.FromResult(attempt);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A full disk or a permission fixed later: the queue keeps the points and tries again.
            return Task.FromResult(attempt with { Outcome = DeliveryOutcome.Retry($"cannot write {path}: {e.Message}") });
        }
        finally
        {
            if (buffer.Capacity > KeptBufferBytes)
            {
                _buffer = new ArrayBufferWriter<byte>();
            }
        }
    }

    public void Dispose()
    {
    }
}
