namespace FalcoCheck.Alerts;

/// <summary>
/// What one body or chunk of lines held: the good alerts, normalized, a reason for each bad one, and Falco's metrics
/// snapshots (which are metrics, not alerts) with a notice for each of their fields that was skipped.
/// </summary>
internal sealed class AlertBatch
{
    /// <summary>Reasons kept per batch; the rest are only counted, so a megabyte of garbage gives a short answer.</summary>
    public const int MaxReasons = 10;

    private readonly List<string> _reasons = [];

    public List<NormalizedAlert> Alerts { get; } = [];

    public List<MetricsSnapshot> Snapshots { get; } = [];

    /// <summary>Skipped snapshot fields, the first <see cref="MaxReasons"/>; the snapshot's other fields were kept.</summary>
    public List<string> Notices { get; } = [];

    public int Rejected { get; private set; }

    public IReadOnlyList<string> Reasons => _reasons;

    public void Reject(string reason)
    {
        Rejected++;
        if (_reasons.Count < MaxReasons)
        {
            _reasons.Add(reason);
        }
    }
}
