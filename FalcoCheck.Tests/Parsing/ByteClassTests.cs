using FalcoCheck.Parsing;

namespace FalcoCheck.Tests.Parsing;

/// <summary>The hand-written byte table agrees with the name grammars for all 256 bytes.</summary>
internal sealed class ByteClassTests
{
    [Test]
    public void Table_matches_the_Prometheus_name_grammar()
    {
        var wrong = new List<string>();
        for (int b = 0; b < 256; b++)
        {
            byte c = (byte)b;
            bool letter = c is >= (byte)'a' and <= (byte)'z' or >= (byte)'A' and <= (byte)'Z' or (byte)'_';
            bool digit = c is >= (byte)'0' and <= (byte)'9';
            Check(wrong, c, "label start", ByteClass.IsLabelNameStart(c), letter);
            Check(wrong, c, "metric start", ByteClass.IsMetricNameStart(c), letter || c == ':');
            Check(wrong, c, "blank", ByteClass.IsBlank(c), c is (byte)' ' or (byte)'\t');
            Check(wrong, c, "label char", ByteClass.EndOfLabelName([c], 0) == 1, letter || digit);
            Check(wrong, c, "metric char", ByteClass.EndOfMetricName([c], 0) == 1, letter || digit || c == ':');
        }

        Assert.That(wrong, Is.Empty);
    }

    [Test]
    public void Vector_scan_stops_at_every_byte_outside_the_grammar_at_every_offset()
    {
        // 40 bytes: two 16-byte blocks and a scalar tail, so every byte is checked by both paths.
        var wrong = new List<string>();
        for (int b = 0; b < 256; b++)
        {
            byte c = (byte)b;
            bool labelChar = c is >= (byte)'a' and <= (byte)'z' or >= (byte)'A' and <= (byte)'Z' or (byte)'_' or >= (byte)'0' and <= (byte)'9';
            bool metricChar = labelChar || c == ':';
            for (int at = 0; at < 40; at++)
            {
                byte[] line = new byte[40];
                Array.Fill(line, (byte)'a');
                line[at] = c;
                Check(wrong, c, $"label char at {at}", ByteClass.EndOfLabelName(line, 0) == 40, labelChar);
                Check(wrong, c, $"metric char at {at}", ByteClass.EndOfMetricName(line, 0) == 40, metricChar);
                if (!metricChar && ByteClass.EndOfMetricName(line, 0) != at)
                {
                    wrong.Add($"0x{c:X2} metric end at {at}: {ByteClass.EndOfMetricName(line, 0)}");
                }
            }
        }

        Assert.That(wrong, Is.Empty);
    }

    [TestCase("abc def", 0, 3)]
    [TestCase("abc", 1, 3)]
    [TestCase("a-b", 0, 1)]
    [TestCase("", 0, 0)]
    public void Scanners_stop_at_the_first_other_byte(string text, int start, int end)
    {
        byte[] bytes = System.Text.Encoding.ASCII.GetBytes(text);

        Assert.That(ByteClass.EndOfLabelName(bytes, start), Is.EqualTo(end));
        Assert.That(ByteClass.EndOfMetricName(bytes, start), Is.EqualTo(end));
    }

    private static void Check(List<string> wrong, byte c, string what, bool actual, bool expected)
    {
        if (actual != expected)
        {
            wrong.Add($"0x{c:X2} {what}: {actual}");
        }
    }
}
