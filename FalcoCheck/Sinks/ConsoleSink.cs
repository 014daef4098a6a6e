using System.Buffers;
using System.Text;

namespace FalcoCheck.Sinks;

/// <summary>Writes submissions to standard output, as a table or as JSON lines.</summary>
internal sealed class ConsoleSink(TextWriter output, bool json) : IMetricSink
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public string Name => "console";

    public async Task<SendResult> SendAsync(Submission submission, CancellationToken cancellationToken)
    {
        // One submission at a time, so concurrent instances never interleave their lines.
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
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
            return SendResult.Ok(submission.Metrics.Count + submission.ServiceChecks.Count);
        }
        finally
        {
            _gate.Release();
        }
    }

    public ValueTask DisposeAsync()
    {
        _gate.Dispose();
        return ValueTask.CompletedTask;
    }
}
