using System.Buffers;
using FalcoCheck.Sinks.Delivery;

namespace FalcoCheck.Sinks.Logs;

/// <summary>
/// Appends alerts to a file, one JSON document per line. A batch is one append, so a reader never sees half a line
/// from this process; the file is opened per batch, so logrotate's rename needs no signal.
/// </summary>
internal sealed class LogFileSink(string path) : ILogSink
{
    public string Name => "file:" + path;

    public int MaxBatchEntries => 1000;

    public long MaxBatchBytes => 4L * 1024 * 1024;

    public async Task<DeliveryOutcome> SendAsync(IReadOnlyList<byte[]> entries, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>();
        foreach (byte[] entry in entries)
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

            return DeliveryOutcome.Sent;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A full disk or a permission fixed later: keep the alerts queued and try again.
            return DeliveryOutcome.Retry($"cannot write {path}: {e.Message}");
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
