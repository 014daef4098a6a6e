using System.Globalization;

namespace FalcoCheck.Sinks.Delivery;

/// <summary>
/// The queue's disk side. Order is the point: everything in the spool is older than everything in memory, so the
/// worker always takes the spool first; and once the batch in delivery has anything spilled behind it, it is written
/// to the spool too (its progress kept beside it), so a stop never puts it after newer data. Every method here but
/// <see cref="SaveProgress"/> (which takes it) runs under <c>_lock</c>.
/// </summary>
internal sealed partial class DeliveryQueue<TBatch>
{
    /// <summary>How often a spool held by another process (a predecessor still flushing) is tried again.</summary>
    private static readonly TimeSpan SpoolRetry = TimeSpan.FromSeconds(1);

    /// <summary>Bytes of spool lines read and merged at once (a metrics record is one run, about 15–40 KB).</summary>
    private const long MergeBytes = 8L * 1024 * 1024;

    private readonly string? _spoolFolder;
    private DiskSpool? _spool;
    private string? _spoolProblem;
    private DateTimeOffset _nextSpoolAttempt = DateTimeOffset.MinValue;

    /// <summary>The spool line <see cref="_current"/> was read from, or written to when items were spilled behind it.</summary>
    private SpoolBatch? _currentRecord;

    private long _spooled;

    private long SpoolBytes => _spool?.Bytes ?? 0;

    /// <summary>
    /// The next batch: the spool's head lines when there are any, else the oldest batches in memory, several merged
    /// into one (<see cref="ISpooledBatch{TSelf}.Merge"/>) up to <see cref="MergeItems"/>.
    /// </summary>
    private void TakeNext()
    {
        // IsEmpty first: a read looks at the segment file, and this runs for every run the sink receives.
        while (SpoolReady() && !_spool!.IsEmpty && _spool.Read(TBatch.SpoolReadLines, MergeBytes, _options.SpoolMaxBytes) is { } record)
        {
            var parts = new List<TBatch>(record.Entries.Count);
            int damaged = record.Skipped;
            for (int i = 0; i < record.Entries.Count; i++)
            {
                if (TBatch.FromSpool(record.Entries[i], out string? error) is { } restored)
                {
                    if (parts.Count > 0 && !parts[0].Joins(restored))
                    {
                        record = record.Take(i);
                        break;
                    }

                    parts.Add(restored);
                }
                else
                {
                    damaged++;
                    _lastError = _lastDropReason = "spool record skipped: " + error;
                }
            }

            if (damaged > 0)
            {
                // A damaged record's item count is unknown: each counts as one dropped item.
                Interlocked.Add(ref _dropped, damaged);
                _lastError = _lastDropReason ??= "spool record skipped: a line cut short by a crash";
            }

            // The progress on disk is over the merged records; reading from the same head merges the same prefix.
            TBatch? merged = parts.Count == 0 ? null : TBatch.Merge(parts);
            if (merged is not null)
            {
                TBatch.Resume(merged, record.Progress);
            }

            if (merged is null || merged.Remaining == 0)
            {
                _spool.Commit(record);
                continue;
            }

            _current = merged;
            _currentRecord = record;
            return;
        }

        if (_waiting.First?.Value is not { } first)
        {
            return;
        }

        var taken = new List<TBatch> { first };
        int items = first.Remaining;
        _waiting.RemoveFirst();
        while (_sender.MergesBatches && _waiting.First?.Value is { } next && items + next.Remaining <= MergeItems && first.Joins(next))
        {
            taken.Add(next);
            items += next.Remaining;
            _waiting.RemoveFirst();
        }

        _waitingItems -= items;
        _current = TBatch.Merge(taken);
    }

    /// <summary>The batch in delivery is done: off the spool (if it was there) and out of the way.</summary>
    private void FinishCurrent()
    {
        if (_currentRecord is { } record)
        {
            _spool?.Commit(record);
            _currentRecord = null;
        }

        _current = null;
    }

    /// <summary>After each request of a batch that is in the spool: so a restart resumes after what was sent.</summary>
    private void SaveProgress(TBatch batch)
    {
        lock (_lock)
        {
            if (_currentRecord is { } record && ReferenceEquals(batch, _current))
            {
                _spool?.SaveProgress(record, TBatch.Progress(batch));
            }
        }
    }

    /// <summary>Keeps memory within <c>queue_size</c>: the oldest waiting batches go to the spool, or are dropped.</summary>
    private void MakeRoom()
    {
        while (_waiting.Count > 1 && _waitingItems + (_current?.Remaining ?? 0) > _options.QueueSize)
        {
            var oldest = _waiting.First!.Value;
            _waiting.RemoveFirst();
            _waitingItems -= oldest.Remaining;
            SpillOrDrop(oldest, string.Create(CultureInfo.InvariantCulture,
                $"queue full ({_options.QueueSize} items) while the backend was failing ({_lastError ?? "busy"})"));
        }
    }

    /// <summary>At shutdown: what the backend did not take goes to the spool, oldest first, for the next start.</summary>
    private void KeepForNextStart()
    {
        if (_current is { } current)
        {
            if (_currentRecord is null)
            {
                SpillOrDrop(current, "shut down before the backend took it: " + (_lastError ?? "flush_timeout reached"));
            }
            else
            {
                current.CompleteSpooled("kept in the disk spool for the next start");
            }
        }

        foreach (var batch in _waiting)
        {
            SpillOrDrop(batch, "shut down before the backend took it: " + (_lastError ?? "flush_timeout reached"));
        }

        _waiting.Clear();
        _waitingItems = 0;
        _current = null;
        _currentRecord = null;
    }

    private void SpillOrDrop(TBatch batch, string why)
    {
        if (Spill(batch))
        {
            Interlocked.Add(ref _spooled, batch.Remaining);
            batch.CompleteSpooled(string.Create(CultureInfo.InvariantCulture,
                $"{batch.Remaining} item(s) kept in the disk spool, sent when the backend takes data again ({why})"));
            return;
        }

        string reason = _spoolFolder is null && _spool is null ? why + "; no spool" : why + "; spool " + (_spoolProblem ?? "full");
        _lastDropReason = reason;
        Interlocked.Add(ref _dropped, batch.DropRest(reason));
    }

    private bool Spill(TBatch batch)
    {
        if (!SpoolReady())
        {
            return false;
        }

        if (_current is { } current && _currentRecord is null && !ReferenceEquals(current, batch) && _spool!.IsEmpty)
        {
            // Something newer is about to be spilled behind the batch in delivery: put that one first.
            byte[][] lines = TBatch.ToSpool(current);
            if (!_spool.TryAppend(lines))
            {
                return false;
            }

            _currentRecord = _spool.Read(lines.Length, _options.SpoolMaxBytes);
        }

        return _spool!.TryAppend(TBatch.ToSpool(batch));
    }

    /// <summary>Opens the spool on first need; a spool held by another process is tried again a second later.</summary>
    private bool SpoolReady()
    {
        if (_spool is not null)
        {
            return true;
        }

        var now = _clock.GetUtcNow();
        if (_spoolFolder is null || (now < _nextSpoolAttempt && !_closed))
        {
            return false;
        }

        try
        {
            _spool = new DiskSpool(_spoolFolder, _options.SpoolMaxBytes);
            _spoolProblem = null;
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _spoolProblem = "unavailable: " + e.Message;
            _nextSpoolAttempt = now + SpoolRetry;
            return false;
        }
    }
}
