namespace FalcoCheck.Sinks.Delivery;

/// <summary>
/// One metrics submission waiting in a sink's queue: series first, then service checks, then events, each with its
/// cursor (<see cref="QueuedBatch"/>). Kept in the spool as one <see cref="SpoolRecord"/> line.
/// </summary>
internal sealed class Batch : QueuedBatch, ISpooledBatch<Batch>
{
    private readonly MetricPoint[] _points;
    private readonly ServiceCheck[] _checks;
    private readonly FalcoEvent[] _events;

    /// <summary>The cursors when the batch was written to the spool: progress on disk counts from there.</summary>
    private (int Points, int Checks, int Events) _spoolBase;

    /// <param name="withEvents">Whether the sender takes events; if not, they are not part of the batch at all.</param>
    public Batch(Submission submission, bool withEvents = false)
    {
        _points = [.. submission.Metrics];
        _checks = [.. submission.ServiceChecks];
        _events = withEvents ? [.. submission.Events] : [];
        FalcoVersion = submission.FalcoVersion;
        Instance = submission.Instance;
    }

    /// <summary>A batch read back from the disk spool (<see cref="SpoolRecord"/>); nobody waits for its completion.</summary>
    public Batch(MetricPoint[] points, ServiceCheck[] checks, FalcoEvent[] events, string? falcoVersion)
    {
        _points = points;
        _checks = checks;
        _events = events;
        FalcoVersion = falcoVersion;
    }

    /// <summary>Metrics runs are small (Falco's full page is about 100 items, 15–40 KB a record): about 100 runs at once.</summary>
    public static int SpoolReadLines => 100;

    public string? FalcoVersion { get; }

    /// <summary>The instance that submitted it (the console's table names it); empty when read from the spool.</summary>
    public string Instance { get; private init; } = string.Empty;

    public ReadOnlySpan<MetricPoint> AllPoints => _points;

    public ReadOnlySpan<ServiceCheck> AllChecks => _checks;

    public ReadOnlySpan<FalcoEvent> AllEvents => _events;

    public ReadOnlyMemory<MetricPoint> RemainingPoints => _points.AsMemory(PointsDone);

    public ReadOnlyMemory<ServiceCheck> RemainingChecks => _checks.AsMemory(ChecksDone);

    public ReadOnlyMemory<FalcoEvent> RemainingEvents => _events.AsMemory(EventsDone);

    /// <summary>What is left, as a submission, for the local sinks' encoders.</summary>
    public Submission RemainingSubmission() =>
        new(Instance, RemainingPoints.ToArray(), RemainingChecks.ToArray()) { Events = RemainingEvents.ToArray(), FalcoVersion = FalcoVersion };

    public int EventsDone { get; private set; }

    public int PointsDone { get; private set; }

    public int ChecksDone { get; private set; }

    public override int Remaining => _points.Length - PointsDone + _checks.Length - ChecksDone + _events.Length - EventsDone;

    public override int Total => _points.Length + _checks.Length + _events.Length;

    /// <summary>
    /// What is left of several batches, as one: a request then carries many runs, so one connection to a distant
    /// backend keeps up with many instances, and a spool drains faster than runs arrive. Each kind keeps its order.
    /// </summary>
    public static Batch Merge(List<Batch> parts)
    {
        if (parts.Count == 1)
        {
            return parts[0];
        }

        var points = new List<MetricPoint>();
        var checks = new List<ServiceCheck>();
        var events = new List<FalcoEvent>();
        foreach (var part in parts)
        {
            points.AddRange(part.RemainingPoints.Span);
            checks.AddRange(part.RemainingChecks.Span);
            events.AddRange(part.RemainingEvents.Span);
        }

        var merged = new Batch([.. points], [.. checks], [.. events], parts[0].FalcoVersion) { Instance = parts[0].Instance };
        merged.MergedFrom(parts);
        return merged;
    }

    /// <summary>Merged batches share one Falco version (OTLP's resource, the health check's tag).</summary>
    public override bool Joins(QueuedBatch next) => next is Batch batch && batch.FalcoVersion == FalcoVersion;

    public void Advance(int points, int checks, bool sent, int events = 0) =>
        Advance(new SendAttempt(DeliveryOutcome.Sent, points, checks) { Events = events }, sent);

    public override SendAttempt FirstItem() =>
        RemainingPoints.Length > 0 ? new SendAttempt(DeliveryOutcome.Sent, 1, 0)
        : RemainingChecks.Length > 0 ? new SendAttempt(DeliveryOutcome.Sent, 0, 1)
        : new SendAttempt(DeliveryOutcome.Sent, 0, 0) { Events = 1 };

    /// <summary>
    /// Moves the cursors to where an earlier process got (progress kept with the spool), without counting the
    /// items again: they were counted when they were sent.
    /// </summary>
    public void Resume(int points, int checks, int events)
    {
        PointsDone = Math.Clamp(points, PointsDone, _points.Length);
        ChecksDone = Math.Clamp(checks, ChecksDone, _checks.Length);
        EventsDone = Math.Clamp(events, EventsDone, _events.Length);
    }

    public static byte[][] ToSpool(Batch batch)
    {
        // The cursors are read once: the worker may move them meanwhile, and later progress counts from these.
        var done = (batch.PointsDone, batch.ChecksDone, batch.EventsDone);
        batch._spoolBase = done;
        return [SpoolRecord.Encode(batch, done)];
    }

    public static long SpoolBytes(Batch batch) => SpoolRecord.Encode(batch).Length + 1;

    public static Batch? FromSpool(ReadOnlyMemory<byte> line, out string? error)
    {
        // Progress on disk counts from what the record says is done, whether the batch is read back alone or merged.
        var batch = SpoolRecord.Decode(line, out error);
        if (batch is not null)
        {
            batch._spoolBase = (batch.PointsDone, batch.ChecksDone, batch.EventsDone);
        }

        return batch;
    }

    public static string Progress(Batch batch) => SpoolRecord.Progress(batch, batch._spoolBase);

    public static void Resume(Batch batch, string? progress) => SpoolRecord.Resume(batch, progress);

    protected override void Move(SendAttempt attempt)
    {
        PointsDone = Math.Min(_points.Length, PointsDone + attempt.Points);
        ChecksDone = Math.Min(_checks.Length, ChecksDone + attempt.Checks);
        EventsDone = Math.Min(_events.Length, EventsDone + attempt.Events);
    }

    protected override SendAttempt Rest() => new(DeliveryOutcome.Sent, _points.Length - PointsDone, _checks.Length - ChecksDone) { Events = _events.Length - EventsDone };
}
