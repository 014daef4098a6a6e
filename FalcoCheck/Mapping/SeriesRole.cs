namespace FalcoCheck.Mapping;

/// <summary>What a raw series is to the mapper.</summary>
internal enum SeriesRole : byte
{
    /// <summary>Not submitted: unknown to the table and not asked for, or excluded by the instance's filters.</summary>
    Dropped,

    /// <summary>Submitted as a metric.</summary>
    Metric,

    /// <summary><c>falcosecurity_falco_version_info</c>: gives the Falco version.</summary>
    Version,

    /// <summary>Falco's start timestamp in nanoseconds: tells counter resets apart.</summary>
    StartTimestamp,

    /// <summary>Falco's last reload timestamp in nanoseconds (0.41+).</summary>
    ReloadTimestamp,

    /// <summary>When the host booted, nanoseconds.</summary>
    BootTimestamp,
}
