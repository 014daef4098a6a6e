using System.Buffers;

namespace FalcoCheck.Sinks;

/// <summary>
/// Appends submissions to a file as JSON lines (the contract of <see cref="JsonLinesEncoder"/>). Each submission
/// is written with one append, so a reader never sees half a line from a concurrent run.
/// </summary>
internal sealed class FileSink(string path) : IMetricSink
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public string Name => "file:" + path;

    public async Task<SendResult> SendAsync(Submission submission, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>();
        JsonLinesEncoder.Write(submission, buffer);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
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

            return SendResult.Ok(submission.Metrics.Count + submission.ServiceChecks.Count);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return SendResult.Failed($"cannot write {path}: {e.Message}");
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
