using FalcoCheck.Parsing;

namespace FalcoCheck.Tests.Parsing;

/// <summary>Issue 7: parsing allocates nothing per line or per sample (measured in bytes, never in time).</summary>
internal sealed class TextParserAllocationTests
{
    private const int Iterations = 200;

    [Test]
    public void Parsing_every_fixture_allocates_zero_bytes_after_warm_up()
    {
        byte[][] bodies = FixtureFiles.Names().Select(FixtureFiles.Read).ToArray();
        for (int i = 0; i < Iterations; i++)
        {
            Consume(bodies, unescape: false);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        long checksum = 0;
        for (int i = 0; i < Iterations; i++)
        {
            checksum += Consume(bodies, unescape: false);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.That(allocated, Is.Zero);
        Assert.That(checksum, Is.GreaterThan(0));
    }

    [Test]
    public void The_measurement_sees_an_allocation_when_there_is_one()
    {
        byte[][] bodies = [FixtureFiles.Read(FixtureFiles.Falco039)];
        Consume(bodies, unescape: true);

        long before = GC.GetAllocatedBytesForCurrentThread();
        Consume(bodies, unescape: true);

        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.GreaterThan(0));
    }

    /// <summary>Touches everything a consumer would: kinds, slices, labels, values, exact integers.</summary>
    private static long Consume(byte[][] bodies, bool unescape)
    {
        long sum = 0;
        foreach (byte[] body in bodies)
        {
            var parser = new TextParser(body);
            while (parser.Read())
            {
                sum += parser.MetricName.Length + parser.Series.Length + parser.HelpText.Length + (int)parser.Type;
                if (parser.Kind != EntryKind.Sample)
                {
                    continue;
                }

                foreach (Label label in parser.Labels)
                {
                    sum += label.Name.Length + label.Value.Length + (label.ValueHasRawQuotes ? 1 : 0);
                    if (unescape)
                    {
                        sum += TextParser.UnescapeLabelValue(label.Value).Length;
                    }
                }

                sum += parser.TryGetExactInteger(out long exact) ? exact & 1 : (long)parser.Value & 1;
            }
        }

        return sum;
    }
}
