using FalcoCheck.Parsing;

namespace FalcoCheck.Mapping;

/// <summary>What one scrape says about Falco itself and about how the payload read.</summary>
internal sealed class ScrapeFacts
{
    public string? FalcoVersion { get; set; }

    /// <summary>Falco's start time, exact nanoseconds since the epoch (Falco prints all 19 digits).</summary>
    public long? StartTimestampNs { get; set; }

    /// <summary>Falco's last reload (0.41+), exact nanoseconds since the epoch.</summary>
    public long? ReloadTimestampNs { get; set; }

    /// <summary>When the host booted, exact nanoseconds since the epoch.</summary>
    public long? BootTimestampNs { get; set; }

    /// <summary>Tags from info series (<c>kernel_release:…</c>, <c>evt_source:…</c>), distinct, in order of appearance.</summary>
    public List<string> InfoTags { get; } = [];

    /// <summary>Capture engines in the order their <c>scap_engine_name_info</c> lines appear.</summary>
    public List<string> Engines { get; } = [];

    /// <summary>Samples read from the payload.</summary>
    public int SeriesScraped { get; set; }

    /// <summary>Samples not submitted: unknown to the table, excluded, or metadata.</summary>
    public int SeriesDropped { get; set; }

    /// <summary>Samples whose raw series already had a value for the same context in this scrape (Falco's repeated blocks): the later one won.</summary>
    public int DuplicateSeries { get; set; }

    /// <summary>
    /// Samples added to another raw series' value because label filters (<c>exclude_labels</c>, <c>include_labels</c>,
    /// <c>rename_labels</c>) gave both the same context: one value per context, their sum.
    /// </summary>
    public int MergedSeries { get; set; }

    /// <summary>Lines the parser rejected; each lost only itself.</summary>
    public int InvalidLines { get; set; }

    /// <summary>
    /// A strict OpenMetrics body broke a rule: nothing of it is submitted and <see cref="Errors"/> holds the first
    /// error (OpenMetrics 1.0: "Partial or invalid expositions MUST be considered erroneous in their entirety").
    /// </summary>
    public bool BodyRejected { get; set; }

    /// <summary>The first few parse errors, for the report.</summary>
    public List<ParseError> Errors { get; } = [];

    /// <summary>
    /// Lines refused by a parser limit (line length, labels per series, label name or value length), by reason;
    /// they are also in <see cref="InvalidLines"/>.
    /// </summary>
    public Dictionary<ParseErrorReason, int> LimitHits { get; } = [];

    /// <summary>Samples past <see cref="MappingOptions.MaxSeriesPerScrape"/>: read, not mapped, not submitted.</summary>
    public int SeriesOverLimit { get; set; }

    public void Clear()
    {
        FalcoVersion = null;
        StartTimestampNs = null;
        ReloadTimestampNs = null;
        BootTimestampNs = null;
        InfoTags.Clear();
        Engines.Clear();
        SeriesScraped = 0;
        SeriesDropped = 0;
        DuplicateSeries = 0;
        MergedSeries = 0;
        InvalidLines = 0;
        BodyRejected = false;
        Errors.Clear();
        LimitHits.Clear();
        SeriesOverLimit = 0;
    }
}
