namespace FalcoCheck.Bench;

/// <summary>What <c>falcocheck bench</c> times, from the smallest part of one scrape to the whole of it.</summary>
internal enum BenchStage
{
    /// <summary>TextParser over the body: every entry, every label, every value.</summary>
    Parse,

    /// <summary>FalcoMapper.Map: parse plus series cache, falco.* names and tags (steady state: cache warm).</summary>
    Map,

    /// <summary>The Datadog v2 series encoder alone, on the points one scrape submits.</summary>
    Encode,

    /// <summary>Parse, map, counter deltas, Datadog v2 encoding and gzip: one scrape minus the HTTP request.</summary>
    Pipeline,

    /// <summary>TextParser over the payload rendered as conformant OpenMetrics 1.0, read leniently (<c>openmetrics_strict: false</c>).</summary>
    ParseOpenMetrics,

    /// <summary>The same OpenMetrics body with every OpenMetrics 1.0 rule checked (<c>openmetrics_strict: true</c>).</summary>
    ParseOpenMetricsStrict,
}
