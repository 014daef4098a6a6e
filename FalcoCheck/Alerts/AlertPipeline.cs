using FalcoCheck.Configuration;
using FalcoCheck.Sinks;
using FalcoCheck.Sinks.Delivery;
using FalcoCheck.Sinks.Logs;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FalcoCheck.Alerts;

/// <summary>
/// Falco's alerts as logs, start to end: the inputs (<see cref="AlertReceiver"/>, one <see cref="AlertFileFollower"/>
/// per file, or <see cref="StdinAlertReader"/>) hand bytes to the <see cref="AlertIntake"/>, which normalizes and
/// queues them for one <see cref="LogSinkWorker"/> per log sink; <c>falco.alerts.count</c> (and, in the daemon, the
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
    private readonly List<LogSinkWorker> _workers = [];
    private readonly AlertCounter _counter;
    private readonly AlertReconciliation? _reconciliation;
    private readonly IReadOnlyList<string> _baseTags;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _tasks = [];
    private AlertReceiver? _receiver;
    private DateTimeOffset _lastFlush;
    private bool _stopped;

    public AlertPipeline(AgentConfig agent, AlertsConfig config, IReadOnlyList<IMetricSink> metricSinks, ILoggerFactory loggers,
        TimeProvider clock, TextWriter console, AlertPipelineOptions? options = null, Func<SinkConfig, ILogSink>? createSink = null,
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
        createSink ??= sink => LogSinkFactory.Create(sink, console);
        for (int i = 0; i < config.Sinks.Count; i++)
        {
            var spool = new DiskSpool(Path.Combine(config.SpoolDir, LogSinkFactory.SpoolFolder(i, config.Sinks[i])), config.SpoolMaxBytes);
            _workers.Add(new LogSinkWorker(createSink(config.Sinks[i]), new LogQueue(config.QueueSize, spool), _options.Retry,
                loggers.CreateLogger("FalcoCheck.Sinks.Logs"), clock));
        }

        Intake = new AlertIntake(new AlertContext(agent.Hostname, config.Service, _baseTags, clock), _workers, _counter);
    }

    public AlertIntake Intake { get; }

    /// <summary>The receiver's address once started (with the real port when <c>listen</c> used port 0).</summary>
    public Uri? ReceiverAddress => _receiver?.Address;

    public IReadOnlyList<LogSinkWorker> Sinks => _workers;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _lastFlush = _clock.GetUtcNow();
        foreach (LogSinkWorker worker in _workers)
        {
            worker.Start();
        }

        if (_options.ServeInputs && _config.Http is { } http)
        {
            _receiver = new AlertReceiver(http, Intake, _logger);
            await _receiver.StartAsync(cancellationToken).ConfigureAwait(false);
        }

        if (_options.ServeInputs)
        {
            foreach (string file in _config.Files)
            {
                var follower = new AlertFileFollower(file, new FileOffsetStore(_config.FileStateDir, file), Intake, _options.Follow, _logger, _clock);
                _tasks.Add(Task.Run(() => follower.RunAsync(_stop.Token), CancellationToken.None));
            }
        }

        _tasks.Add(Task.Run(() => SubmitCountsLoopAsync(_stop.Token), CancellationToken.None));
    }

    /// <summary>Reads alerts from <paramref name="input"/> to its end (<c>alerts --stdin</c>); returns how many were queued.</summary>
    public Task<long> ReadAsync(Stream input, CancellationToken cancellationToken) =>
        new StdinAlertReader(input, Intake, _logger, _clock).RunAsync(cancellationToken);

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
        await Task.WhenAll(_workers.Select(w => w.StopAsync(_options.Drain))).ConfigureAwait(false);
        await SubmitCountsAsync(CancellationToken.None).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        if (_receiver is not null)
        {
            await _receiver.DisposeAsync().ConfigureAwait(false);
        }

        foreach (LogSinkWorker worker in _workers)
        {
            await worker.DisposeAsync().ConfigureAwait(false);
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
