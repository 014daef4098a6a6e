using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;

namespace FalcoCheck.Runtime;

/// <summary>
/// What asks the daemon to reload: SIGHUP (<c>systemctl reload</c>, <c>kill -HUP</c>) and, with
/// <c>watch_config: true</c>, a change of the agent or check file's content. Files are polled by content rather
/// than watched with inotify, because Kubernetes updates a mounted ConfigMap by swapping a symlink, which file
/// watchers miss, and two small files every <see cref="PollInterval"/> cost nothing.
/// </summary>
internal sealed class ReloadSignals : IDisposable
{
    /// <summary>A kubelet refreshes ConfigMap volumes about once a minute; two seconds adds nothing to that.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(2);

    private readonly Func<string, Task> _reload;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private PosixSignalRegistration? _hangup;
    private IReadOnlyList<string> _files = [];
    private string[] _fingerprints = [];

    public ReloadSignals(Func<string, Task> reload, TimeProvider clock, ILogger logger)
    {
        _reload = reload;
        _clock = clock;
        _logger = logger;
    }

    public void Start(bool watch, IReadOnlyList<string> files)
    {
        if (!OperatingSystem.IsWindows())
        {
            // Without a handler SIGHUP ends a .NET process; with one, it is ours to interpret.
            _hangup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
            {
                context.Cancel = true;
                // Off the signal-handling thread: a reload reads files and may wait for a reload in progress.
                _ = Task.Run(() => _reload("SIGHUP"));
            });
        }

        Watch(files);
        if (watch)
        {
            _ = Task.Run(PollAsync);
        }
    }

    /// <summary>The files to watch from now on (after a reload, <c>confd_path</c> may point elsewhere).</summary>
    public void Watch(IReadOnlyList<string> files)
    {
        var fingerprints = files.Select(Fingerprint).ToArray();
        lock (_stop)
        {
            _files = files;
            _fingerprints = fingerprints;
        }
    }

    public void Dispose()
    {
        _hangup?.Dispose();
        // The poll loop ends on its own once cancelled; a reload it started finishes under the daemon's lock.
        _stop.Cancel();
    }

    private async Task PollAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(PollInterval, _clock, _stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            IReadOnlyList<string> files;
            string[] before;
            lock (_stop)
            {
                files = _files;
                before = _fingerprints;
            }

            string? changed = null;
            for (var i = 0; i < files.Count && changed is null; i++)
            {
                if (Fingerprint(files[i]) != before[i])
                {
                    changed = files[i];
                }
            }

            if (changed is not null)
            {
                DaemonLog.FileChanged(_logger, changed);
                // A refused config is not retried until the files change again: the reload refreshes the fingerprints.
                await _reload("watch_config").ConfigureAwait(false);
            }
        }
    }

    private static string Fingerprint(string path)
    {
        try
        {
            return Convert.ToHexString(ManagedSha256.HashData(File.ReadAllBytes(path)));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "unreadable";
        }
    }
}
