using System.Buffers;
using FalcoCheck.Sinks.Delivery;

namespace FalcoCheck.Sinks.Logs;

/// <summary>
/// Appends alerts to a file, one JSON document per line. A request is one append, so a reader never sees half a
/// line from this process; the file is opened per request, so logrotate's rename needs no signal.
/// </summary>
internal sealed class LogFileSink(string path) : IBatchSender<LogBatch>
{
    private const int MaxEntries = 1000;
    private const long MaxBytes = 4L * 1024 * 1024;

    public string Name => "file:" + path;

    public async Task<SendAttempt> SendAsync(LogBatch batch, CancellationToken cancellationToken)
    {
        // A line over the limit is still written whole: a file has no request size to respect.
        int count = Math.Max(1, batch.Fitting(MaxEntries, MaxBytes));
        var buffer = new ArrayBufferWriter<byte>();
        foreach (byte[] entry in batch.RemainingEntries.Span[..count])
        {
            buffer.Write(entry);
            buffer.Write("\n"u8);
        }

        try
        {
            if (Path.GetDirectoryName(Path.GetFullPath(path)) is { } directory)
            {
                Directory.CreateDirectory(directory);
            }

            var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
            await using (stream.ConfigureAwait(false))
            {
                await stream.WriteAsync(buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
            }

            return SendAttempt.Of(DeliveryOutcome.Sent, count);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A full disk or a permission fixed later: keep the alerts queued and try again.
            return SendAttempt.Of(DeliveryOutcome.Retry($"cannot write {path}: {e.Message}"), count);
        }
    }

    public void Dispose()
    {
    }
}
