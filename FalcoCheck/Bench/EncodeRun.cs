namespace FalcoCheck.Bench;

/// <summary>The encode stage: the sink encoder alone, on what the second scrape of the payload submits (counts included).</summary>
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
}
