using System.Buffers;
using System.Text;
using FalcoCheck.Sinks.Delivery;

namespace FalcoCheck.Sinks;

/// <summary>Writes submissions to standard output, as a table or as JSON lines. Runs behind a <see cref="QueuedSink"/>.</summary>
internal sealed class ConsoleSink(TextWriter output, bool json) : IBatchSender<Batch>
{
    public string Name => "console";

    public bool SendsEvents => true;

    /// <summary>A table names its instance: one submission per write.</summary>
    public bool MergesBatches => json;

    public async Task<SendAttempt> SendAsync(Batch batch, CancellationToken cancellationToken)
    {
        var submission = batch.RemainingSubmission();
        if (json)
        {
            var buffer = new ArrayBufferWriter<byte>();
            JsonLinesEncoder.Write(submission, buffer);
            await output.WriteAsync(Encoding.UTF8.GetString(buffer.WrittenSpan)).ConfigureAwait(false);
        }
        else
        {
            TableEncoder.Write(submission, output);
        }

        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        return new SendAttempt(DeliveryOutcome.Sent, submission.Metrics.Count, submission.ServiceChecks.Count) { Events = submission.Events.Count };
    }

    public void Dispose()
    {
    }
}
