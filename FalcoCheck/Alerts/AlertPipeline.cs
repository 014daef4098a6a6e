using FalcoCheck.Configuration;
using FalcoCheck.Runtime;
using FalcoCheck.Sinks;
using FalcoCheck.Sinks.Delivery;
using FalcoCheck.Sinks.Logs;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FalcoCheck.Alerts;

/// <summary>
/// Falco's alerts as logs, start to end: the inputs (<see cref="AlertReceiver"/>, one <see cref="AlertFileFollower"/>
/// per file, or <see cref="StdinAlertReader"/>) hand bytes to the <see cref="AlertIntake"/>, which normalizes and
/// queues them in one <see cref="DeliveryQueue{TBatch}"/> per log sink (the metrics sinks' delivery path); <c>falco.alerts.count</c> (and, in the daemon, the
/// <see cref="AlertReconciliation"/> gauges) goes to the metrics sinks every <c>metrics_interval</c>. An <see cref="IHostedService"/>, so the daemon hosts it as it is;
/// <c>falcocheck alerts</c> starts and stops it itself.
/// </summary>
internal sealed class AlertPipeline : IHostedService, IAsyncDisposable
{
    private readonly AlertsConfig _config;
    private readonly IReadOnlyList<IMetricSink> _metricSinks;
    private readonly AlertPipelineOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _clock;
    private readonly List<DeliveryQueue<LogBatch>> _queues = [];
    private readonly AlertCounter _counter;
    private readonly AlertReconciliation? _reconciliation;
    private readonly IReadOnlyList<string> _baseTags;
    private readonly string _hostname;
    private readonly IReadOnlyList<string> _agentTags;
    private readonly long[] _droppedReported;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _tasks = [];
    private readonly SnapshotMetrics _snapshots;
    private Task? _snapshotSender;
    private AlertReceiver? _receiver;
    private DateTimeOffset _lastFlush;
    private bool _stopped;

    public AlertPipeline(AgentConfig agent, AlertsConfig config, IReadOnlyList<IMetricSink> metricSinks, ILoggerFactory loggers,
        TimeProvider clock, TextWriter console, AlertPipelineOptions? options = null, Func<SinkConfig, IBatchSender<LogBatch>>? createSink = null,
        AlertReconciliation? reconciliation = null)
    {
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentNullException.ThrowIfNull(config);
        _config = config;
        _metricSinks = metricSinks;
        _options = options ?? new AlertPipelineOptions();
        _logger = loggers.CreateLogger("FalcoCheck.Alerts");
        _clock = clock;
        _reconciliation = reconciliation;
        _counter = new AlertCounter(reconciliation);
        _baseTags = [.. agent.Tags, .. config.Tags];
        _hostname = agent.Hostname;
        _agentTags = agent.Tags;
        _droppedReported = new long[config.Sinks.Count];
        createSink ??= sink => SinkFactory.CreateLogSender(sink, console, clock);
        var delivery = _options.Delivery with { QueueSize = config.QueueSize, SpoolMaxBytes = config.SpoolMaxBytes, FlushTimeout = _options.Drain };
        ILogger sinkLogger = loggers.CreateLogger("FalcoCheck.Sinks.Logs");

        // Every spool is opened before any queue starts: one held by another process (the daemon) fails the start
        // with its IOException, and an alert is never queued where it could not be kept.
        var spools = new List<DiskSpool>(config.Sinks.Count);
        try
        {
            for (int i = 0; i < config.Sinks.Count; i++)
            {
                spools.Add(new DiskSpool(Path.Combine(config.SpoolDir, SinkFactory.LogSpoolFolder(i, config.Sinks[i])), config.SpoolMaxBytes));
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            spools.ForEach(s => s.Dispose());
            throw;
        }

        for (int i = 0; i < config.Sinks.Count; i++)
        {
            _queues.Add(new DeliveryQueue<LogBatch>(createSink(config.Sinks[i]), delivery, clock, spoolFolder: null, sinkLogger, spool: spools[i]));
        }

        _snapshots = new SnapshotMetrics(metricSinks.Count > 0, _logger);
        Intake = new AlertIntake(new AlertContext(agent.Hostname, config.Service, _baseTags, clock), _queues, _counter,
            [.. config.Sinks.Select(s => s.Route)], _snapshots, _logger);
    }

    public AlertIntake Intake { get; }

    /// <summary>The receiver's address once started (with the real port when <c>listen</c> used port 0).</summary>
    public Uri? ReceiverAddress => _receiver?.Address;

    public IReadOnlyList<DeliveryQueue<LogBatch>> Sinks => _queues;

    /// <summary>Falco's metrics snapshots read from the inputs (<c>metrics.output_rule</c>).</summary>
    public SnapshotMetrics Snapshots => _snapshots;

    /// <summary>One <c>status</c> row per log sink, as the metrics sinks have.</summary>
    public IReadOnlyList<SinkReport> Report() => [.. _queues.Select(SinkReport.Of)];

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _lastFlush = _clock.GetUtcNow();
        // Not stopped by _stop: it ends when the inputs have stopped and every snapshot read was sent.
        _snapshotSender ??= Task.Run(SendSnapshotsAsync, CancellationToken.None);
        if (_options.ServeInputs && _config.Http is { } http)
        {
            _receiver = new AlertReceiver(http, Intake, _logger);
            await _receiver.StartAsync(cancellationToken).ConfigureAwait(false);
        }

        if (_options.ServeInputs)
        {
            AlertContext fileContext = Intake.Context with { Output = AlertContext.FileOutput };
            foreach (string file in _config.Files)
            {
                var follower = new AlertFileFollower(file, new FileOffsetStore(_config.FileStateDir, file), Intake, _options.Follow, _logger, _clock, fileContext);
                _tasks.Add(Task.Run(() => follower.RunAsync(_stop.Token), CancellationToken.None));
            }

            foreach (LogFileInput input in _config.LogFiles)
            {
                AlertContext context = fileContext with
                {
                    Service = input.Service ?? Intake.Context.Service,
                    BaseTags = [.. Intake.Context.BaseTags, .. input.Tags],
                };
                var follower = new AlertFileFollower(input.Path, new FileOffsetStore(_config.FileStateDir, input.Path), Intake, _options.Follow, _logger, _clock, context);
                _tasks.Add(Task.Run(() => follower.RunAsync(_stop.Token), CancellationToken.None));
            }
        }

        _tasks.Add(Task.Run(() => SubmitCountsLoopAsync(_stop.Token), CancellationToken.None));
    }

    /// <summary>Reads alerts from <paramref name="input"/> to its end (<c>alerts --stdin</c>); returns how many were queued.</summary>
    public Task<long> ReadAsync(Stream input, CancellationToken cancellationToken) =>
        new StdinAlertReader(input, Intake, _logger, _clock).RunAsync(cancellationToken);

    /// <summary>Sends each snapshot's points to every metrics sink as they come; a failing sink is logged, never retried here.</summary>
    private async Task SendSnapshotsAsync()
    {
        await foreach (Submission submission in _snapshots.Ready.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
        {
            foreach (IMetricSink sink in _metricSinks)
            {
                SendResult result = await sink.SendAsync(submission, CancellationToken.None).ConfigureAwait(false);
                if (!result.Success)
                {
                    AlertLog.MetricsFailed(_logger, sink.Name, result.Error);
                }
            }
        }
    }

    /// <summary>
    /// Stops the inputs, lets the sinks deliver for up to <see cref="AlertPipelineOptions.Drain"/>, spools what is
    /// left, and submits the last <c>falco.alerts.count</c>.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        if (_receiver is not null)
        {
            await _receiver.StopAsync(cancellationToken).ConfigureAwait(false);
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_tasks).ConfigureAwait(false);
        _snapshots.Complete();
        await (_snapshotSender ?? SendSnapshotsAsync()).ConfigureAwait(false);
        // Each queue delivers for up to Drain, then spools the rest for the next start.
        await Task.WhenAll(_queues.Select(q => q.DisposeAsync().AsTask())).ConfigureAwait(false);
        await SubmitCountsAsync(CancellationToken.None).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        if (_receiver is not null)
        {
            await _receiver.DisposeAsync().ConfigureAwait(false);
        }

        _stop.Dispose();
    }

    private async Task SubmitCountsLoopAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_config.MetricsInterval, _clock);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                await SubmitCountsAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private List<(string Sink, long Queue, long SpoolBytes, long DroppedSinceLast, long DroppedTotal)> SinkTelemetry()
    {
        var figures = new List<(string, long, long, long, long)>(_queues.Count);
        for (int i = 0; i < _queues.Count; i++)
        {
            SinkCounts counts = _queues[i].Counts;
            long since = counts.Dropped - Interlocked.Exchange(ref _droppedReported[i], counts.Dropped);
            if (since > 0)
            {
                // Once per report, not per alert: a full sink drops for itself while the others go on.
                DeliveryLog.DroppedSinceReport(_logger, _queues[i].Name, since, counts.LastDropReason ?? _queues[i].LastError ?? "none");
            }

            figures.Add((_queues[i].Name, counts.Queued, counts.SpoolBytes, since, counts.Dropped));
        }

        return figures;
    }

    private async Task SubmitCountsAsync(CancellationToken cancellationToken)
    {
        DateTimeOffset now = _clock.GetUtcNow();
        int interval = (int)Math.Max(1, Math.Round((now - _lastFlush).TotalSeconds));
        _lastFlush = now;
        List<MetricPoint> points = _counter.Flush(now.ToUnixTimeSeconds(), interval, _baseTags);
        if (_reconciliation is not null)
        {
            points.AddRange(_reconciliation.Points(now.ToUnixTimeSeconds(), _baseTags));
        }

        // Each log sink's falco.check.sink.* figures, the same series the metrics sinks report.
        points.AddRange(SelfTelemetry.ForSinks(SinkTelemetry(), _hostname, _agentTags, now.ToUnixTimeSeconds(), interval).Metrics);

        if (points.Count == 0)
        {
            return;
        }

        var submission = new Submission("alerts", points, []);
        foreach (IMetricSink sink in _metricSinks)
        {
            SendResult result = await sink.SendAsync(submission, cancellationToken).ConfigureAwait(false);
            if (!result.Success)
            {
                AlertLog.MetricsFailed(_logger, sink.Name, result.Error);
            }
        }
    }
}
