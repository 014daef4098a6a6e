namespace FalcoCheck.Alerts;

/// <summary>What one <c>output_fields</c> entry of a Falco metrics snapshot becomes in Falco's Prometheus text.</summary>
internal enum SnapshotFieldKind : byte
{
    /// <summary>Not a metric FalcoCheck knows: reported as a notice, skipped.</summary>
    Unknown,

    /// <summary>Known and deliberately not translated: Falco exposes no Prometheus series for it (rates, <c>_prev</c> values, netinfo).</summary>
    Skipped,

    /// <summary>A string: <c>name{label="value"} 1</c>, as Falco's <c>*_info</c> gauges.</summary>
    Info,

    /// <summary>A number: <c># TYPE name gauge</c>.</summary>
    Gauge,

    /// <summary>A number: <c># TYPE name counter</c>.</summary>
    Counter,
}
