using FalcoCheck.Parsing;

namespace FalcoCheck.Bench;

/// <summary>
/// The parse stage: reads every entry and what the mapper reads from each sample on a steady-state scrape (kind,
/// series bytes, value or exact integer). Labels are validated by <see cref="TextParser.Read"/> (every byte, every
/// limit) but not enumerated again, as the mapper only enumerates them for a series it has not seen before;
/// <paramref name="enumerateLabels"/> adds that second pass (the BenchmarkDotNet suite reports both).
/// <paramref name="strict"/> turns on the OpenMetrics 1.0 checks (<see cref="TextParserOptions.StrictOpenMetrics"/>).
/// </summary>
internal sealed class ParseRun(byte[] body, bool enumerateLabels = false, TextFormat format = TextFormat.Prometheus, bool strict = false) : IStageRun
{
    private readonly OpenMetricsFamilies _families = new();

    public int Series { get; private set; }

    public long RunOnce()
    {
        var parser = new TextParser(body, format, new TextParserOptions { StrictOpenMetrics = strict }, _families);
        var samples = 0;
        long checksum = 0;
        while (parser.Read())
        {
            if (parser.Kind != EntryKind.Sample)
            {
                continue;
            }

            samples++;
            checksum += parser.Series.Length;
            if (enumerateLabels)
            {
                foreach (var label in parser.Labels)
                {
                    checksum += label.Name.Length + label.Value.Length;
                }
            }

            checksum += parser.TryGetExactInteger(out var exact) ? exact & 0xFF : (long)parser.Value & 0xFF;
        }

        Series = samples;
        return checksum;
    }

    public void Dispose()
    {
    }
}
