using System.Text;
using FalcoCheck.Sinks.Delivery;

namespace FalcoCheck.Sinks.Logs;

/// <summary>Prints alerts to standard output, one JSON document per line (the file sink's format).</summary>
internal sealed class LogConsoleSink(TextWriter output) : IBatchSender<LogBatch>
{
    private const int MaxEntries = 1000;
    private const long MaxBytes = 4L * 1024 * 1024;

    public string Name => "console";

    public async Task<SendAttempt> SendAsync(LogBatch batch, CancellationToken cancellationToken)
    {
        // One line is written even when it alone is over the limit: the console has no limit to enforce.
        int count = Math.Max(1, batch.Fitting(MaxEntries, MaxBytes));
        var text = new StringBuilder();
        foreach (byte[] entry in batch.RemainingEntries.Span[..count])
        {
            text.Append(Encoding.UTF8.GetString(entry)).Append('\n');
        }

        await output.WriteAsync(text.ToString()).ConfigureAwait(false);
        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        return SendAttempt.Of(DeliveryOutcome.Sent, count);
    }

    public void Dispose()
    {
    }
}
