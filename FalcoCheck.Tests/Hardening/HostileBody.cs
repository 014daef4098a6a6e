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
        if (format == TextFormat.OpenMetrics)
        {
            ReadStrictOpenMetrics(body, lines);
        }

        return invalid;
    }

    /// <summary>
    /// OpenMetrics 1.0 strict mode: progress, nothing thrown but the first error (when asked to throw), and the mapper
    /// rejecting the body exactly when the parser found an error.
    /// </summary>
    private static void ReadStrictOpenMetrics(byte[] body, int lines)
    {
        var options = new TextParserOptions { StrictOpenMetrics = true };
        var parser = new TextParser(body, TextFormat.OpenMetrics, options);
        var entries = 0;
        ParseError? first = null;
        while (parser.Read())
        {
            Require(++entries <= lines, "strict Read() makes progress");
            if (parser.Kind == EntryKind.Invalid)
            {
                first ??= parser.Error;
            }
        }

        try
        {
            var throwing = new TextParser(body, TextFormat.OpenMetrics, options with { ThrowOnInvalid = true });
            while (throwing.Read())
            {
            }

            Require(first is null, "strict OpenMetrics threw nothing although it reported an error");
        }
        catch (TextFormatException e)
        {
            Require(e.Error == first, $"strict OpenMetrics throws its first error: {e.Error} vs {first}");
        }

        var mapper = new FalcoMapper(new MappingOptions { Parser = options });
        mapper.Map(body, TextFormat.OpenMetrics);
        Require(mapper.Facts.BodyRejected == first is not null, "the mapper rejects the body exactly when strict OpenMetrics found an error");
        Require(!mapper.Facts.BodyRejected || mapper.Samples.Count == 0, "nothing of a rejected body is mapped");
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
