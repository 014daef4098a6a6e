namespace FalcoCheck.Sinks.Delivery;

/// <summary>
/// One submission waiting in a sink's queue, with how far its delivery got: senders take items from the front
/// (series first, then service checks, then events) and the queue moves the cursor only for what the backend took, so a batch
/// split over several requests is never sent twice or partly lost.
/// </summary>
internal sealed class Batch
{
    private readonly MetricPoint[] _points;
    private readonly ServiceCheck[] _checks;
    private readonly FalcoEvent[] _events;

    /// <param name="withEvents">Whether the sender takes events; if not, they are not part of the batch at all.</param>
    public Batch(Submission submission, bool withEvents = false)
    {
        _points = [.. submission.Metrics];
        _checks = [.. submission.ServiceChecks];
        _events = withEvents ? [.. submission.Events] : [];
        FalcoVersion = submission.FalcoVersion;
    }

    /// <summary>A batch read back from the disk spool (<see cref="SpoolRecord"/>); nobody waits for its completion.</summary>
    public Batch(MetricPoint[] points, ServiceCheck[] checks, FalcoEvent[] events, string? falcoVersion)
    {
        _points = points;
        _checks = checks;
        _events = events;
        FalcoVersion = falcoVersion;
    }

    public string? FalcoVersion { get; }

    /// <summary>The batches this one was merged from (<see cref="Merge"/>); they complete when it does.</summary>
    private Batch[] _parts = [];

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

        return new Batch([.. points], [.. checks], [.. events], parts[0].FalcoVersion) { _parts = [.. parts] };
    }

    public ReadOnlySpan<MetricPoint> AllPoints => _points;

    public ReadOnlySpan<ServiceCheck> AllChecks => _checks;

    public ReadOnlySpan<FalcoEvent> AllEvents => _events;

    public ReadOnlyMemory<MetricPoint> RemainingPoints => _points.AsMemory(PointsDone);

    public ReadOnlyMemory<ServiceCheck> RemainingChecks => _checks.AsMemory(ChecksDone);

    public ReadOnlyMemory<FalcoEvent> RemainingEvents => _events.AsMemory(EventsDone);

    public int EventsDone { get; private set; }

    public int PointsDone { get; private set; }

    public int ChecksDone { get; private set; }

    public int Remaining => _points.Length - PointsDone + _checks.Length - ChecksDone + _events.Length - EventsDone;

    public int Total => _points.Length + _checks.Length + _events.Length;

    /// <summary>Most items one request may carry; lowered when a backend answers 413.</summary>
    public int MaxItemsPerRequest { get; set; } = int.MaxValue;

    public int Sent { get; private set; }

    public int Dropped { get; private set; }

    /// <summary>Why items of this batch were dropped, for the submitter.</summary>
    public string? Error { get; set; }

    /// <summary>Completed when every item is sent or dropped.</summary>
    public TaskCompletionSource<SendResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Advance(int points, int checks, bool sent, int events = 0)
    {
        PointsDone = Math.Min(_points.Length, PointsDone + points);
        ChecksDone = Math.Min(_checks.Length, ChecksDone + checks);
        EventsDone = Math.Min(_events.Length, EventsDone + events);
        if (sent)
        {
            Sent += points + checks + events;
        }
        else
        {
            Dropped += points + checks + events;
        }
    }

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

    /// <summary>Drops whatever is left (queue overflow, shutdown) and completes the batch.</summary>
    public int DropRest(string reason)
    {
        int rest = Remaining;
        Error ??= reason;
        Advance(_points.Length, _checks.Length, sent: false, _events.Length);
        Complete();
        return rest;
    }

    /// <summary>The batch went to the disk spool: its submitter learns that it is not delivered yet, but not lost.</summary>
    public void CompleteSpooled(string reason)
    {
        Completion.TrySetResult(SendResult.Failed(reason));
        foreach (var part in _parts)
        {
            part.CompleteSpooled(reason);
        }
    }

    public void Complete()
    {
        string error = $"{Dropped} of {Total} item(s) not delivered: {Error}";
        Completion.TrySetResult(Dropped == 0 ? SendResult.Ok(Sent) : SendResult.Failed(error));
        foreach (var part in _parts)
        {
            // Which part lost the items is not tracked: each learns of the merged request's loss.
            part.Completion.TrySetResult(Dropped == 0 ? SendResult.Ok(part.Total) : SendResult.Failed(error));
        }
    }
}
