using FalcoCheck.Parsing;

namespace FalcoCheck.Bench;

/// <summary>
/// The parse stage: reads every entry and touches what a consumer would (labels, values, exact integers), as the
/// peers in ../shared/bench materialise every sample.
/// </summary>
internal sealed class ParseRun(byte[] body) : IStageRun
{
    public int Series { get; private set; }

    public long RunOnce()
    {
        var parser = new TextParser(body);
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
            foreach (var label in parser.Labels)
            {
                checksum += label.Name.Length + label.Value.Length;
            }

            checksum += parser.TryGetExactInteger(out var exact) ? exact & 0xFF : (long)parser.Value & 0xFF;
        }

        Series = samples;
        return checksum;
    }
}
