using FalcoCheck.Mapping;
using FalcoCheck.Parsing;

namespace FalcoCheck.Tests.Hardening;

/// <summary>
/// Runs a body through everything that reads one, as the fuzz harness (FalcoCheck.Fuzz/TextTarget.cs) does: the
/// parser in both formats, lenient (must not throw) and strict (may throw only <see cref="TextFormatException"/>,
/// at the first line lenient mode reports), and the mapper twice (the second time through its series cache).
/// </summary>
internal static class HostileBody
{
    private static readonly TextParserOptions Strict = TextParserOptions.Default with { ThrowOnInvalid = true };

    /// <summary>
/// Returns the invalid-line count of each format; throws what the code under test threw, or
/// <see cref="InvalidOperationException"/> when a check fails.
/// </summary>
    public static (int Prometheus, int OpenMetrics) ReadEverywhere(byte[] body) =>
        (ReadEverywhere(body, TextFormat.Prometheus), ReadEverywhere(body, TextFormat.OpenMetrics));

    private static int ReadEverywhere(byte[] body, TextFormat format)
    {
        var lenient = new TextParser(body, format);
        var lines = body.AsSpan().Count((byte)'\n') + 2;
        var entries = 0;
        ParseError? first = null;
        while (lenient.Read())
        {
            Require(++entries <= lines, "Read() makes progress");
            if (lenient.Kind == EntryKind.Sample)
            {
                var labels = 0;
                foreach (var label in lenient.Labels)
                {
                    labels++;
                    _ = TextParser.UnescapeLabelValue(label.Value);
                }

                Require(labels == lenient.LabelCount, "LabelCount matches the labels");
            }
            else if (lenient.Kind == EntryKind.Invalid)
            {
                first ??= lenient.Error;
            }
        }

        var invalid = lenient.InvalidLines;
        try
        {
            var strict = new TextParser(body, format, Strict);
            while (strict.Read())
            {
            }

            Require(first is null, "strict mode threw nothing although lenient mode found an invalid line");
        }
        catch (TextFormatException e)
        {
            Require(e.Error == first, $"strict mode throws the first error lenient mode reports: {e.Error} vs {first}");
        }

        var mapper = new FalcoMapper(new MappingOptions());
        mapper.Map(body, format);
        mapper.Map(body, format);
        Require(mapper.Facts.InvalidLines == invalid, "the mapper counts the invalid lines");
        return invalid;
    }

    // Plain exceptions, not NUnit asserts: CsCheck calls this on its own threads and shrinks on any exception.
    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new InvalidOperationException(message);
        }
    }
}
