using Microsoft.Extensions.Logging;

namespace FalcoCheck.Alerts;

/// <summary>
/// Follows Falco's <c>file_output</c> (one JSON alert per line) like <c>tail -F</c>: new lines are queued in chunks,
/// and the offset is saved once a chunk is queued, so a clean restart (the queues deliver or spool what they hold)
/// neither loses nor repeats alerts; after a crash, what was in a memory queue and not yet spooled is lost.
/// <list type="bullet">
/// <item>Truncation (logrotate <c>copytruncate</c>): the open file is shorter than the offset ─► read it again from 0.</item>
/// <item>Rotation (rename, then Falco reopens on SIGUSR1): the path's first line no longer matches ─► the old file
/// is read to its end and kept open until it has been quiet for <see cref="FollowOptions.RotateWait"/> (Falco may
/// still write to it before it reopens), while the new file is read from 0.</item>
/// <item>Restart after a rotation: when the path is a new file, <c>PATH.1</c> (logrotate's name) is checked for the
/// saved fingerprint and its rest is read first. While a rotated file is still read, the state keeps its fingerprint
/// and offset beside the new file's, so a stop in that window resumes both.</item>
/// </list>
/// The first start reads an existing file from its beginning.
/// </summary>
internal sealed class AlertFileFollower(string path, FileOffsetStore store, AlertIntake intake, FollowOptions options, ILogger logger, TimeProvider clock,
    AlertContext? context = null)
{
    /// <summary>Bytes read per chunk; a line longer than this is skipped to its newline (Falco's alerts are about 1 KB).</summary>
    private const int ChunkBytes = 256 * 1024;

    private readonly List<FollowedFile> _retiring = [];
    private FollowedFile? _current;
    private bool _started;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                try
                {
                    await PollAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    AlertLog.ReadFailed(logger, path, e.Message);
                }

                await Task.Delay(options.PollInterval, clock, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            _current?.Dispose();
            _retiring.ForEach(f => f.Dispose());
        }
    }

    /// <summary>One round: open, read the retiring files and the current one, detect truncation and rotation.</summary>
    internal async Task PollAsync(CancellationToken cancellationToken)
    {
        DateTimeOffset now = clock.GetUtcNow();
        if (!_started)
        {
            _started = true;
            OpenAtStart(now);
        }

        for (int i = _retiring.Count - 1; i >= 0; i--)
        {
            FollowedFile old = _retiring[i];
            await ReadAsync(old, cancellationToken).ConfigureAwait(false);
            if (now - old.LastData >= options.RotateWait)
            {
                await ReadAsync(old, cancellationToken, final: true).ConfigureAwait(false);
                old.Dispose();
                _retiring.RemoveAt(i);
                SaveState();
            }
        }

        if (_current is null)
        {
            _current = FollowedFile.TryOpen(path, 0, now);
            if (_current is null)
            {
                return;
            }

            SaveState();
        }

        if (_current.Length < _current.Offset)
        {
            AlertLog.Truncated(logger, path);
            _current.Offset = 0;
            _current.Scanned = 0;
            _current.Fingerprint = null;
        }

        _current.Fingerprint ??= FileOffsetStore.Fingerprint(_current.Stream);
        await ReadAsync(_current, cancellationToken).ConfigureAwait(false);

        if (IsRotated(_current))
        {
            AlertLog.Rotated(logger, path);
            _retiring.Add(_current);
            _current = FollowedFile.TryOpen(path, 0, now);
            SaveState(); // the rotated file's place, and the new file's (none while it is not there yet)
            if (_current is not null)
            {
                await ReadAsync(_current, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private void OpenAtStart(DateTimeOffset now)
    {
        (string? Fingerprint, long Offset, string? RetiringFingerprint, long RetiringOffset)? saved = store.Load();
        _current = FollowedFile.TryOpen(path, 0, now);
        if (saved is not { } state)
        {
            AlertLog.Following(logger, path, 0);
            return;
        }

        // Stopped while the rotated file was still read (Falco writes to it until it reopens): its rest first.
        if (state.RetiringFingerprint is { } retiring)
        {
            ResumeRotated(retiring, state.RetiringOffset, now);
        }

        if (state.Fingerprint is not { } fingerprint)
        {
            AlertLog.Following(logger, path, 0);
            return;
        }

        if (_current is not null && _current.Fingerprint == fingerprint)
        {
            _current.Offset = Math.Min(state.Offset, _current.Length);
        }
        else if (_retiring.Count == 0)
        {
            // Rotated while we were stopped: finish the old file first, if it is the one we were reading.
            ResumeRotated(fingerprint, state.Offset, now);
        }

        AlertLog.Following(logger, path, _current?.Offset ?? 0);
    }

    /// <summary>Reads <c>PATH.1</c> on from <paramref name="offset"/> when it is the file of <paramref name="fingerprint"/>.</summary>
    private void ResumeRotated(string fingerprint, long offset, DateTimeOffset now)
    {
        if (FollowedFile.TryOpen(path + ".1", offset, now) is not { } rotated)
        {
            return;
        }

        if (rotated.Fingerprint == fingerprint && rotated.Length >= offset)
        {
            _retiring.Add(rotated);
        }
        else
        {
            rotated.Dispose();
        }
    }

    /// <summary>
    /// Saves the current file's position, and the last rotated file's while it is still read: a stop in that window
    /// resumes the rotated file's rest after the restart instead of losing it.
    /// </summary>
    private void SaveState()
    {
        if (_current is not null)
        {
            _current.Fingerprint ??= FileOffsetStore.Fingerprint(_current.Stream);
        }

        FollowedFile? retiring = _retiring.Count > 0 ? _retiring[^1] : null;
        store.Save(_current?.Fingerprint, _current?.Offset ?? 0, retiring?.Fingerprint, retiring?.Offset ?? 0);
    }

    /// <summary>The path now names another file: its first line differs from ours, or it is gone.</summary>
    private bool IsRotated(FollowedFile current)
    {
        if (current.Fingerprint is null)
        {
            return false;
        }

        using FollowedFile? atPath = FollowedFile.TryOpen(path, 0, clock.GetUtcNow());
        return atPath is null || atPath.Fingerprint != current.Fingerprint;
    }

    /// <summary>Queues the complete lines after the offset, chunk by chunk; waits while the queues are full.</summary>
    private async Task ReadAsync(FollowedFile file, CancellationToken cancellationToken, bool final = false)
    {
        byte[] buffer = new byte[ChunkBytes];
        while (true)
        {
            int read = await RandomAccess.ReadAsync(file.Stream.SafeFileHandle, buffer, file.Offset, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return;
            }

            int end = buffer.AsSpan(0, read).LastIndexOf((byte)'\n') + 1;
            if (end == 0 && read == ChunkBytes)
            {
                // A line longer than a chunk: skipped to its newline, never handed over in parts (its tail would
                // start the next chunk and cost the alerts after it).
                if (await SkipLongLineAsync(file, buffer, final, cancellationToken).ConfigureAwait(false) is not { } next)
                {
                    return; // its newline is not written yet
                }

                AlertLog.LongLineSkipped(logger, path, ChunkBytes);
                file.LastData = clock.GetUtcNow();
                file.Offset = next;
                Save(file);
                continue;
            }

            if (end == 0)
            {
                if (!final)
                {
                    return; // a line still being written
                }

                // The unterminated last line of a retired file: take it as it is.
                end = read;
            }

            file.LastData = clock.GetUtcNow();
            IntakeResult result = new(0, 0, [], Full: false);
            while (!buffer.AsSpan(0, end).Trim(" \t\r\n"u8).IsEmpty && (result = intake.Submit(buffer.AsSpan(0, end), context ?? intake.Context)).Full)
            {
                AlertLog.QueuesFull(logger, path);
                await Task.Delay(options.PollInterval, clock, cancellationToken).ConfigureAwait(false);
            }

            if (result.Rejected > 0)
            {
                AlertLog.Rejected(logger, path, result.Rejected, result.Reasons[0]);
            }

            if (result.Notices.Count > 0)
            {
                AlertLog.SnapshotNotices(logger, path, result.Notices.Count, result.Notices[0]);
            }

            file.Offset += end;
            Save(file);
        }
    }

    /// <summary>After a chunk: the current file's progress, or a rotated file's while it is the one kept in the state.</summary>
    private void Save(FollowedFile file)
    {
        if (ReferenceEquals(file, _current) || (_retiring.Count > 0 && ReferenceEquals(file, _retiring[^1])))
        {
            SaveState();
        }
    }

    /// <summary>
    /// The offset after the newline that ends the over-long line at <see cref="FollowedFile.Offset"/>; null while that
    /// newline is not written yet (how far it was looked for is kept, so the next round reads on from there). A
    /// retired file's last line ends at its end.
    /// </summary>
    private static async Task<long?> SkipLongLineAsync(FollowedFile file, byte[] buffer, bool final, CancellationToken cancellationToken)
    {
        long position = Math.Max(file.Offset + ChunkBytes, file.Scanned);
        while (true)
        {
            int read = await RandomAccess.ReadAsync(file.Stream.SafeFileHandle, buffer, position, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                file.Scanned = position;
                return final ? position : null;
            }

            int newline = buffer.AsSpan(0, read).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                return position + newline + 1;
            }

            position += read;
        }
    }
}
