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
