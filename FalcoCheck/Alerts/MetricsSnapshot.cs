namespace FalcoCheck.Alerts;

/// <summary>
/// One Falco metrics snapshot alert, translated: the Prometheus text Falco's <c>/metrics</c> would have served for the
/// same figures, and what places it (the Falco host, its event source, when it was taken, the input it came by).
/// </summary>
/// <param name="Body">Prometheus text 0.0.4 (<c># TYPE</c> before every sample, as Falco writes it).</param>
/// <param name="Where">The alert's place in its body: <c>line N</c> or <c>alert N</c>, for notices.</param>
/// <param name="Hostname">The Falco host: <c>evt.hostname</c> (0.38: <c>falco.hostname</c>), else the alert's <c>hostname</c>.</param>
/// <param name="Source">The event source the snapshot describes (<c>evt.source</c>); Falco writes one snapshot per source.</param>
/// <param name="TimeNanos">When Falco took it (<c>evt.time</c>, else the alert's <c>time</c>), Unix nanoseconds.</param>
internal sealed record MetricsSnapshot(byte[] Body, string Where, string Hostname, string Source, long TimeNanos, AlertContext Context);
