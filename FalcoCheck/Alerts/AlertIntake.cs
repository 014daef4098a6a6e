using FalcoCheck.Sinks.Delivery;
using FalcoCheck.Sinks.Logs;

namespace FalcoCheck.Alerts;

/// <summary>
/// Where every input hands its bytes (the receiver a body, the file follower and stdin chunks of lines): read,
/// normalize, enrich, route (each sink's <see cref="AlertRoute"/>), then queue for every log sink at once, or for
/// none when a queue that would receive some of them is full with its spool, so the caller can answer 503 or wait
/// and retry without duplicating alerts in the sinks that had room.
/// </summary>
internal sealed class AlertIntake
{
    private readonly Lock _gate = new();
    private readonly IReadOnlyList<DeliveryQueue<LogBatch>> _sinks;
    private readonly AlertRoute[] _routes;
    private readonly AlertCounter _counter;
    private readonly SnapshotMetrics? _snapshots;

    /// <param name="routes">One per sink, in the same order; null or shorter sends the rest everything.</param>
    /// <param name="snapshots">Where Falco's metrics snapshots go; null drops them (they are never queued as alerts).</param>
    public AlertIntake(AlertContext context, IReadOnlyList<DeliveryQueue<LogBatch>> sinks, AlertCounter counter,
        IReadOnlyList<AlertRoute>? routes = null, SnapshotMetrics? snapshots = null)
    {
        ArgumentNullException.ThrowIfNull(sinks);
        Context = context;
        _sinks = sinks;
        _counter = counter;
        _snapshots = snapshots;
        _routes = new AlertRoute[sinks.Count];
        for (int i = 0; i < _routes.Length; i++)
        {
            _routes[i] = routes is not null && i < routes.Count ? routes[i] : AlertRoute.All;
        }
    }

    public AlertContext Context { get; }

    public IntakeResult Submit(ReadOnlySpan<byte> body) => Submit(body, Context);

    /// <summary>As <see cref="Submit(ReadOnlySpan{byte})"/>, normalized with an input's own service and tags.</summary>
    public IntakeResult Submit(ReadOnlySpan<byte> body, AlertContext context)
    {
        AlertBatch batch = AlertBodyReader.Read(body, context);
        if (batch.Alerts.Count == 0)
        {
            return Snapshots(new IntakeResult(0, batch.Rejected, batch.Reasons, Full: false), batch);
        }

        var all = new byte[batch.Alerts.Count][];
        for (int i = 0; i < all.Length; i++)
        {
            all[i] = batch.Alerts[i].Document;
        }

        // Each sink's share, routed before the reserve step: a sink is asked for room only for what it will receive.
        var shares = new byte[_sinks.Count][][];
        for (int s = 0; s < shares.Length; s++)
        {
            shares[s] = _routes[s].IsAll ? all : Routed(batch.Alerts, _routes[s]);
        }

        // The reserve step: every queue that receives something is asked first, under one lock, so the alerts go
        // to all their sinks or to none.
        lock (_gate)
        {
            for (int s = 0; s < shares.Length; s++)
            {
                if (shares[s].Length > 0 && !_sinks[s].HasRoomFor(new LogBatch(shares[s])))
                {
                    return IntakeResult.QueuesFull(batch);
                }
            }

            for (int s = 0; s < shares.Length; s++)
            {
                // Each sink its own batch (its own cursor); a disk that refuses the write after all is counted there.
                if (shares[s].Length > 0)
                {
                    _sinks[s].Enqueue(new LogBatch(shares[s]));
                }
            }
        }

        _counter.Add(batch.Alerts);
        return Snapshots(new IntakeResult(batch.Alerts.Count, batch.Rejected, batch.Reasons, Full: false), batch);
    }

    /// <summary>
    /// Hands the body's snapshots on, only once its alerts are queued: a full queue makes the input submit the same
    /// bytes again, and a snapshot read twice would count its counters twice.
    /// </summary>
    private IntakeResult Snapshots(IntakeResult result, AlertBatch batch)
    {
        if (batch.Snapshots.Count == 0)
        {
            return result;
        }

        _snapshots?.Add(batch.Snapshots);
        return result with { Snapshots = batch.Snapshots.Count, Notices = batch.Notices };
    }

    private static byte[][] Routed(List<NormalizedAlert> alerts, AlertRoute route)
    {
        var share = new List<byte[]>(alerts.Count);
        foreach (NormalizedAlert alert in alerts)
        {
            if (route.Admits(alert))
            {
                share.Add(alert.Document);
            }
        }

        return [.. share];
    }
}
