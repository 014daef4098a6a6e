using FalcoCheck.Mapping;
using FalcoCheck.Parsing;

namespace FalcoCheck.Bench;

/// <summary>The map stage: <see cref="FalcoMapper.Map"/> on a warm series cache, as every scrape after the first.</summary>
internal sealed class MapRun(byte[] body) : IStageRun
{
    private readonly FalcoMapper _mapper = new(new MappingOptions { InstanceTags = ["endpoint:" + ScrapePipeline.Endpoint] });

    public int Series => _mapper.Facts.SeriesScraped;

    public long RunOnce()
    {
        _mapper.Map(body, TextFormat.Prometheus);
        return _mapper.Samples.Count;
    }

    public void Dispose()
    {
    }
}
