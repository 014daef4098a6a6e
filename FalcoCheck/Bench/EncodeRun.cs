namespace FalcoCheck.Bench;

/// <summary>
/// The encode stage: the Datadog v2 series encoder alone (the Datadog sink's default), on what the second scrape of
/// the payload submits (counts included).
/// </summary>
internal sealed class EncodeRun : IStageRun
{
    private readonly ScrapePipeline _pipeline = new();

    public EncodeRun(byte[] body)
    {
        // The first scrape only records counter baselines; the second one submits counts too.
        _pipeline.Scrape(body);
        _pipeline.Scrape(body);
    }

    public int Series => _pipeline.SeriesScraped;

    public long RunOnce() => _pipeline.Encode();

    public void Dispose() => _pipeline.Dispose();
}
