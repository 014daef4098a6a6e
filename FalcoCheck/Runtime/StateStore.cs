using System.Collections.Concurrent;
using FalcoCheck.Counters;

namespace FalcoCheck.Runtime;

/// <summary>
/// All counter-state file I/O of the daemon, on one thread of its own. <see cref="StateFile"/> reads and writes
/// synchronously and flushes each save to disk; a thousand instances doing that on thread-pool threads starve the
/// pool (the status endpoint then stops answering for seconds). Requests are served in order; each loop awaits its
/// own, so the counters it hands over are not touched meanwhile.
/// </summary>
internal sealed class StateStore : IDisposable
{
    private readonly BlockingCollection<(Func<string?> Work, TaskCompletionSource<string?> Done)> _queue = new();
    private readonly Thread _thread;

    public StateStore(string directory)
    {
        Directory = directory;
        _thread = new Thread(Serve) { IsBackground = true, Name = "falcocheck state" };
        _thread.Start();
    }

    public string Directory { get; }

    /// <summary>Loads the saved counters of the instance (its <see cref="InstanceSettings.StateKey"/>); the result is a warning when the file was ignored.</summary>
    public Task<string?> LoadAsync(InstanceSettings settings, CounterState counters) => Enqueue(() =>
    {
        using var file = Acquire(settings);
        return file.LoadInto(counters);
    });

    public Task<string?> SaveAsync(InstanceSettings settings, CounterState counters) => Enqueue(() =>
    {
        using var file = Acquire(settings);
        file.Save(counters);
        return null;
    });

    /// <summary>Deletes the state file and lock of an instance that is gone for good (a discovered pod that went away).</summary>
    public Task<string?> DeleteAsync(InstanceSettings settings) => Enqueue(() =>
    {
        using var file = Acquire(settings);
        file.Delete();
        return null;
    });

    /// <summary>
    /// Deletes discovered pods' state files (<see cref="StateFile.DiscoveredPrefix"/>) not written for longer than
    /// <paramref name="unusedFor"/>, with their locks: pods that went while the daemon was not running. Their
    /// counters are past the TTL, so nothing would load them. Other files (conf.d's, cron <c>check</c>'s) are never
    /// touched; a file whose lock is held is left.
    /// </summary>
    public Task DeleteStaleDiscoveredAsync(TimeSpan unusedFor, DateTimeOffset now) => Enqueue(() =>
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            return null;
        }

        foreach (string path in System.IO.Directory.EnumerateFiles(Directory, StateFile.DiscoveredPrefix + "*.json"))
        {
            if (now.UtcDateTime - File.GetLastWriteTimeUtc(path) <= unusedFor)
            {
                continue;
            }

            // A file in use (another daemon on the same state_dir) is left as it is.
            StateFile.TryDeleteUnheld(path);
        }

        return null;
    });

    /// <summary>Serves what is queued, then ends the thread.</summary>
    public void Dispose()
    {
        _queue.CompleteAdding();
        _thread.Join();
        _queue.Dispose();
    }

    private Task<string?> Enqueue(Func<string?> work)
    {
        var done = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            _queue.Add((work, done));
        }
        catch (InvalidOperationException)
        {
            done.SetException(new IOException("the daemon is stopping"));
        }

        return done.Task;
    }

    // Blocking is this thread's job: the lock wait (one-shot runs of `check` on the same files) happens here, not on the pool.
    private StateFile Acquire(InstanceSettings settings) =>
        StateFile.AcquireAsync(Directory, settings.StateKey, settings.Discovered, RunContext.StateLockWait, CancellationToken.None).GetAwaiter().GetResult();

    private void Serve()
    {
        foreach (var (work, done) in _queue.GetConsumingEnumerable())
        {
            try
            {
                done.SetResult(work());
            }
#pragma warning disable CA1031 // Any failure belongs to the request that caused it; the thread serves the next one.
            catch (Exception e)
#pragma warning restore CA1031
            {
                done.SetException(e);
            }
        }
    }
}
