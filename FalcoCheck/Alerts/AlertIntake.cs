using FalcoCheck.Sinks.Delivery;
using FalcoCheck.Sinks.Logs;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace FalcoCheck.Alerts;

/// <summary>
/// Where every input hands its bytes (the receiver a body, the file follower and stdin chunks of lines): read,
/// normalize, enrich, route (each sink's <see cref="AlertRoute"/>), then queue for every log sink that receives them.
/// One stuck sink never holds up the others: a sink whose queue and spool are full drops what fits neither, for itself
/// only (counted in its <c>dropped</c>), while the others take the alerts. Only when no sink that would receive them
/// has room is nothing queued, so the caller can answer 503 or wait and retry without duplicating alerts.
/// </summary>
internal sealed class AlertIntake
{
    private readonly Lock _gate = new();
    private readonly IReadOnlyList<DeliveryQueue<LogBatch>> _sinks;
    private readonly AlertRoute[] _routes;
    private readonly AlertCounter _counter;
    private readonly SnapshotMetrics? _snapshots;
    private readonly ILogger _logger;

    /// <summary>A sink turning full is logged at most this often (a queue at the edge turns full and back often).</summary>
    private static readonly TimeSpan FullLogInterval = TimeSpan.FromMinutes(1);

    /// <summary>Per sink: full at its last offer, when that was last logged, and whether the log still says so.</summary>
    private readonly (bool Full, DateTimeOffset Logged, bool Announced)[] _fullness;

    /// <param name="routes">One per sink, in the same order; null or shorter sends the rest everything.</param>
    /// <param name="snapshots">Where Falco's metrics snapshots go; null drops them (they are never queued as alerts).</param>
    public AlertIntake(AlertContext context, IReadOnlyList<DeliveryQueue<LogBatch>> sinks, AlertCounter counter,
        IReadOnlyList<AlertRoute>? routes = null, SnapshotMetrics? snapshots = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(sinks);
        Context = context;
        _sinks = sinks;
        _counter = counter;
        _snapshots = snapshots;
        _logger = logger ?? NullLogger.Instance;
        _fullness = new (bool, DateTimeOffset, bool)[sinks.Count];
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

        // The reserve step, under one lock so an answer holds until the enqueue: each sink that receives something
        // is asked for room. A full one is still handed its share, and its queue drops what fits neither its memory
        // nor its spool (its oldest, counted there); only when none has room is nothing queued anywhere.
        var offers = new (LogBatch Share, bool Room)?[shares.Length];
        lock (_gate)
        {
            bool routed = false;
            bool anyRoom = false;
            for (int s = 0; s < shares.Length; s++)
            {
                if (shares[s].Length > 0)
                {
                    var share = new LogBatch(shares[s]);
                    bool room = _sinks[s].HasRoomFor(share);
                    offers[s] = (share, room);
                    routed = true;
                    anyRoom |= room;
                }
            }

            if (routed && !anyRoom)
            {
                return IntakeResult.QueuesFull(batch);
            }

            for (int s = 0; s < shares.Length; s++)
            {
                if (offers[s] is (LogBatch share, bool room))
                {
                    NoteRoom(s, room);
                    _sinks[s].Enqueue(share);
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

    /// <summary>
    /// Logs a sink turning full (alerts dropped for it alone from then on), at most once per
    /// <see cref="FullLogInterval"/>, and having room again after that; the drops themselves are counted by its queue
    /// and logged with each <c>falco.check.sink.dropped</c> report.
    /// </summary>
    private void NoteRoom(int sink, bool room)
    {
        ref var fullness = ref _fullness[sink];
        if (fullness.Full == !room)
        {
            return;
        }

        fullness.Full = !room;
        DateTimeOffset now = Context.Clock.GetUtcNow();
        if (!room && now - fullness.Logged >= FullLogInterval)
        {
            fullness.Logged = now;
            fullness.Announced = true;
            AlertLog.SinkFull(_logger, _sinks[sink].Name, _sinks[sink].LastError ?? "the backend is slow");
        }
        else if (room && fullness.Announced)
        {
            fullness.Announced = false;
            AlertLog.SinkHasRoom(_logger, _sinks[sink].Name);
        }
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
