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

    /// <summary>Loads the saved counters of <paramref name="stateKey"/> (<see cref="InstanceSettings.StateKey"/>); the result is a warning when the file was ignored.</summary>
    public Task<string?> LoadAsync(string stateKey, CounterState counters) => Enqueue(() =>
    {
        using var file = Acquire(stateKey);
        return file.LoadInto(counters);
    });

    public Task<string?> SaveAsync(string stateKey, CounterState counters) => Enqueue(() =>
    {
        using var file = Acquire(stateKey);
        file.Save(counters);
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
    private StateFile Acquire(string stateKey) =>
        StateFile.AcquireAsync(Directory, stateKey, RunContext.StateLockWait, CancellationToken.None).GetAwaiter().GetResult();

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
