namespace FalcoCheck.Bench;

/// <summary>
/// The pipeline stage: one scrape end to end minus HTTP (parse, map, counter deltas, Datadog v2 series encoding,
/// gzip).
/// </summary>
internal sealed class PipelineRun(byte[] body) : IStageRun
{
    private readonly ScrapePipeline _pipeline = new();

    public int Series => _pipeline.SeriesScraped;

    public long RunOnce()
    {
        _pipeline.Scrape(body);
        _pipeline.Encode();
        return _pipeline.Compress();
    }

    public void Dispose() => _pipeline.Dispose();
}
