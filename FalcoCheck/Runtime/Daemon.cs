using System.Reflection;
using FalcoCheck.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FalcoCheck.Runtime;

/// <summary>
/// <c>falcocheck run</c> as one hosted service: starts the sinks, the instance loops, the status endpoint and the
/// reload signals, and stops them in that order's reverse, so in-flight runs finish before the sinks flush and
/// the sinks flush before the process exits. Reloads are applied one at a time; a configuration with any error is
/// refused and the running one kept.
/// </summary>
internal sealed partial class Daemon : IHostedService, IAsyncDisposable
{
    private readonly DaemonOptions _options;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly ILogger _loopLogger;
    private readonly ILogger _sinkLogger;
    private readonly ILoggerFactory _loggers;
    private readonly SemaphoreSlim _reloadLock = new(1, 1);
    private readonly ReloadSignals _signals;
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _retiredSinks = [];
    private AgentConfig _agent;
    private CheckConfig _check;
    private RunContext? _context;
    private Scheduler? _scheduler;
    private StatusServer? _statusServer;
    private Task _telemetry = Task.CompletedTask;
    private ReloadReport? _lastReload;
    private DateTimeOffset _startedAt;

    public Daemon(DaemonOptions options, ILoggerFactory loggers, TimeProvider clock)
    {
        _options = options;
        _clock = clock;
        _agent = options.Agent;
        _check = options.Check;
        _logger = loggers.CreateLogger("FalcoCheck.Daemon");
        _loopLogger = loggers.CreateLogger("FalcoCheck.Instance");
        _sinkLogger = loggers.CreateLogger("FalcoCheck.Sink");
        _loggers = loggers;
        _signals = new ReloadSignals(trigger => ReloadAsync(trigger, _stopping.Token), clock, _logger);
        Reconciliation = options.Agent.Alerts is null ? null : new Alerts.AlertReconciliation(clock);
    }

    /// <summary>Matches against alerts received, when <c>alerts</c> is configured: fed by the scrapes, read by the alert pipeline.</summary>
    public Alerts.AlertReconciliation? Reconciliation { get; }

    public static string Version { get; } = typeof(Daemon).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    /// <summary>The loops running now (for tests and the status report).</summary>
    public IReadOnlyList<InstanceLoop> Loops => _scheduler?.Loops ?? [];

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _startedAt = _clock.GetUtcNow();
        foreach (var error in _check.Errors)
        {
            DaemonLog.ConfigError(_logger, error.ToString());
        }

        foreach (var notice in _check.Notices)
        {
            DaemonLog.ConfigNotice(_logger, notice.ToNotice());
        }

        var settings = SettingsFor(_agent, _check);
        var sinks = SinkSet.Create(_agent.Sinks, _options.Console, _sinkLogger, _clock, Task.CompletedTask, _agent.StateDir);
        _context = new RunContext(_clock, _loopLogger, new StateStore(_agent.StateDir), _agent.StateFlushInterval, new SemaphoreSlim(_agent.MaxConcurrentScrapes), sinks)
        {
            Reconciliation = Reconciliation,
        };
        _scheduler = new Scheduler(_context);

        // Pods that went while the daemon was not running left their state files: past the counters' TTL, they go.
        try
        {
            await _context.State.DeleteStaleDiscoveredAsync(Counters.CounterStateOptions.DefaultTtl, _clock.GetUtcNow()).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            DaemonLog.ConfigNotice(_logger, $"cannot clean up discovered pods' counter state in {_agent.StateDir}: {e.Message}");
        }

        await _scheduler.ApplyAsync(WithDiscovered(_agent, settings, rebuild: true), cancellationToken).ConfigureAwait(false);
        StartDiscovery();

        // After the loops exist, so the first answer already lists every instance.
        if (_agent.Status.Enabled)
        {
            _statusServer = StatusServer.Start(_agent.Status.Listen, Report, _logger);
        }
        if (settings.Count == 0 && _agent.Kubernetes is not { Enabled: true })
        {
            DaemonLog.NoInstances(_logger, _check.SourceFile);
        }

        _telemetry = Task.Run(() => ReportSinksAsync(_stopping.Token), CancellationToken.None);
        _signals.Start(_agent.WatchConfig, WatchedFiles(_agent));
        DaemonLog.Started(_logger, Version, settings.Count, _check.SourceFile, sinks.Sinks.Count, _agent.MaxConcurrentScrapes, _agent.Status.ToString());
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        DaemonLog.Stopping(_logger, _agent.ShutdownTimeout.TotalSeconds);
        _signals.Dispose();
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _telemetry.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await StopDiscoveryAsync().ConfigureAwait(false);
        var reloading = await WaitQuietlyAsync(_reloadLock, cancellationToken).ConfigureAwait(false);
        try
        {
            if (_scheduler is not null)
            {
                await _scheduler.StopAsync(cancellationToken).ConfigureAwait(false);
            }

            // Every loop has saved its counters by now.
            _context?.State.Dispose();

            if (_context is not null)
            {
                await _context.Sinks.DrainAsync(cancellationToken).ConfigureAwait(false);
            }

            await Task.WhenAll(_retiredSinks).WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        finally
        {
            if (reloading)
            {
                _reloadLock.Release();
            }
        }

        if (_statusServer is not null)
        {
            await _statusServer.DisposeAsync().ConfigureAwait(false);
            _statusServer = null;
        }

        DaemonLog.Stopped(_logger);
    }

    public async ValueTask DisposeAsync()
    {
        if (_statusServer is not null)
        {
            await _statusServer.DisposeAsync().ConfigureAwait(false);
        }

        _signals.Dispose();
        _stopping.Dispose();
        _reloadLock.Dispose();
    }

    /// <summary>Reads the configuration again and applies it, or refuses it and keeps the running one.</summary>
    public async Task<ReloadReport> ReloadAsync(string trigger, CancellationToken cancellationToken)
    {
        if (!await WaitQuietlyAsync(_reloadLock, cancellationToken).ConfigureAwait(false))
        {
            return Refused(trigger, "falcocheck is stopping", []);
        }

        try
        {
            var report = await ApplyReloadAsync(trigger, cancellationToken).ConfigureAwait(false);
            _lastReload = report;
            _signals.Watch(WatchedFiles(_agent));
            return report;
        }
        finally
        {
            _reloadLock.Release();
        }
    }

    /// <summary>Hands a submission made outside the instance loops to the sinks; false before the sinks exist.</summary>
    public bool Submit(Sinks.Submission submission)
    {
        if (_context is not { } context)
        {
            return false;
        }

        context.Sinks.Enqueue(submission);
        return true;
    }

    /// <summary>The alert log sinks' rows, when the daemon hosts an alert pipeline: <c>status</c> lists them after the metrics sinks.</summary>
    public Func<IReadOnlyList<SinkReport>>? AlertSinkReports { get; set; }

    /// <summary>The status report served at <c>/status</c>.</summary>
    public StatusReport Report() => new()
    {
        Version = Version,
        Pid = Environment.ProcessId,
        StartedAt = _startedAt,
        Now = _clock.GetUtcNow(),
        WorkingSetBytes = Environment.WorkingSet,
        GcHeapBytes = GC.GetGCMemoryInfo() is var gc ? gc.HeapSizeBytes - gc.FragmentedBytes : 0,
        AgentConfig = _agent.SourceFile == AgentConfig.DefaultSourceFile ? _agent.SourceFile : Path.GetFullPath(_agent.SourceFile),
        CheckConfig = _check.SourceFile,
        ConfigErrors = [.. _check.Errors.Select(e => e.ToString())],
        LastReload = _lastReload,
        Instances = [.. Loops.Select(l => l.Report)],
        Sinks = [.. _context?.Sinks.Report() ?? [], .. AlertSinkReports?.Invoke() ?? []],
        Kubernetes = Kubernetes,
    };

    private static async Task<bool> WaitQuietlyAsync(SemaphoreSlim semaphore, CancellationToken cancellationToken)
    {
        try
        {
            await semaphore.WaitAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static List<InstanceSettings> SettingsFor(AgentConfig agent, CheckConfig check) =>
        InstanceSettingsFactory.CreateAll(check.Instances, agent);

    private static List<string> WatchedFiles(AgentConfig agent)
    {
        List<string> files = [];
        if (agent.SourceFile != AgentConfig.DefaultSourceFile)
        {
            files.Add(agent.SourceFile);
        }

        files.Add(ConfigLoader.CheckConfigPath(agent));
        if (agent.Kubernetes is { Enabled: true })
        {
            files.Add(ConfigLoader.AutoConfPath(agent));
        }

        return files;
    }
}
