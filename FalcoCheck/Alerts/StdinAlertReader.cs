using Microsoft.Extensions.Logging;

namespace FalcoCheck.Alerts;

/// <summary>
/// <c>falcocheck alerts --stdin</c>: alerts line by line from a pipe, for Falco's <c>program_output</c>
/// (<c>program: "falcocheck alerts --stdin"</c>, <c>keep_alive: true</c>). While every log sink the alerts go to
/// has its queue and spool full it stops reading, so the pipe pushes back on Falco instead of alerts being dropped
/// here (one full sink among others drops them for itself and reading goes on).
/// </summary>
internal sealed class StdinAlertReader(Stream input, AlertIntake intake, ILogger logger, TimeProvider clock)
{
    private const int ChunkBytes = 256 * 1024;
    private readonly AlertContext _context = intake.Context with { Output = AlertContext.ProgramOutput };
    private static readonly TimeSpan FullWait = TimeSpan.FromMilliseconds(250);

    /// <summary>Reads until end of input; returns the number of alerts queued.</summary>
    public async Task<long> RunAsync(CancellationToken cancellationToken)
    {
        byte[] buffer = new byte[ChunkBytes];
        int filled = 0;
        long queued = 0;
        bool skipping = false;
        while (true)
        {
            int read = await input.ReadAsync(buffer.AsMemory(filled), cancellationToken).ConfigureAwait(false);
            bool end = read == 0;
            if (skipping)
            {
                // The rest of an over-long line (the buffer holds nothing else then): dropped up to its newline.
                int newline = buffer.AsSpan(0, read).IndexOf((byte)'\n');
                if (newline < 0)
                {
                    if (end)
                    {
                        return queued;
                    }

                    continue;
                }

                skipping = false;
                buffer.AsSpan(newline + 1, read - newline - 1).CopyTo(buffer);
                read -= newline + 1;
            }

            filled += read;
            int complete = end ? filled : buffer.AsSpan(0, filled).LastIndexOf((byte)'\n') + 1;
            if (complete == 0 && filled == buffer.Length)
            {
                // A line longer than the buffer: skipped to its newline, never handed over in parts (its tail would
                // start the next chunk and cost the alerts after it).
                AlertLog.LongLineSkipped(logger, "stdin", ChunkBytes);
                skipping = true;
                filled = 0;
                continue;
            }

            if (complete > 0)
            {
                queued += await SubmitAsync(buffer.AsMemory(0, complete), cancellationToken).ConfigureAwait(false);
                buffer.AsSpan(complete, filled - complete).CopyTo(buffer);
                filled -= complete;
            }

            if (end)
            {
                return queued;
            }
        }
    }

    private async Task<int> SubmitAsync(ReadOnlyMemory<byte> lines, CancellationToken cancellationToken)
    {
        if (lines.Span.Trim(" \t\r\n"u8).IsEmpty)
        {
            return 0;
        }

        IntakeResult result;
        while ((result = intake.Submit(lines.Span, _context)).Full)
        {
            AlertLog.QueuesFull(logger, "stdin");
            await Task.Delay(FullWait, clock, cancellationToken).ConfigureAwait(false);
        }

        if (result.Rejected > 0)
        {
            AlertLog.Rejected(logger, "stdin", result.Rejected, result.Reasons[0]);
        }

        if (result.Notices.Count > 0)
        {
            AlertLog.SnapshotNotices(logger, "stdin", result.Notices.Count, result.Notices[0]);
        }

        return result.Accepted;
    }
}
