namespace FalcoCheck.Parsing;

/// <summary>The exposition format of a body.</summary>
internal enum TextFormat : byte
{
    /// <summary>Prometheus text format 0.0.4 (<c>text/plain; version=0.0.4</c>), what Falco serves.</summary>
    Prometheus,

    /// <summary>OpenMetrics 1.0.0 text (<c>application/openmetrics-text; version=1.0.0</c>).</summary>
    OpenMetrics,
}
