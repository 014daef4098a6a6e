namespace FalcoCheck.Sinks.Datadog;

/// <summary>Which series intake the Datadog sink writes.</summary>
internal enum DatadogApiVersion : byte
{
    /// <summary><c>POST /api/v2/series</c>: numeric types, points as objects, host in <c>resources</c>, units.</summary>
    V2,

    /// <summary><c>POST /api/v1/series</c>: the legacy format, which VictoriaMetrics also accepts.</summary>
    V1,
}
