namespace FalcoCheck.Sinks.Otlp;

/// <summary>How the OTLP sink sends counts (OTLP data model, "Temporality").</summary>
internal enum OtlpTemporality : byte
{
    /// <summary>The counter's running total since Falco's start (or reload): <c>start_time_unix_nano</c> = that time.</summary>
    Cumulative,

    /// <summary>The increase over the last interval: <c>start_time_unix_nano</c> = the previous scrape.</summary>
    Delta,
}
