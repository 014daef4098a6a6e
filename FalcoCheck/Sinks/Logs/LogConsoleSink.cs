using System.Text;
using FalcoCheck.Sinks.Delivery;

namespace FalcoCheck.Sinks.Logs;

/// <summary>Prints alerts to standard output, one JSON document per line (the file sink's format).</summary>
internal sealed class LogConsoleSink(TextWriter output) : ILogSink
{
    public string Name => "console";

    public int MaxBatchEntries => 1000;

    public long MaxBatchBytes => 4L * 1024 * 1024;

    public async Task<DeliveryOutcome> SendAsync(IReadOnlyList<byte[]> entries, CancellationToken cancellationToken)
    {
        var text = new StringBuilder();
        foreach (byte[] entry in entries)
        {
            text.Append(Encoding.UTF8.GetString(entry)).Append('\n');
        }

        await output.WriteAsync(text.ToString()).ConfigureAwait(false);
        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        return DeliveryOutcome.Sent;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
