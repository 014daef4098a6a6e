using FalcoCheck.Mapping;
using FalcoCheck.Parsing;

namespace FalcoCheck.Fuzz;

/// <summary>
/// A metrics body through everything that reads one: <see cref="TextParser"/> in both formats, lenient and strict,
/// and <see cref="FalcoMapper"/>. Lenient mode and the mapper may throw nothing; strict mode only
/// <see cref="TextFormatException"/>, and exactly at the first line lenient mode reports as invalid.
/// </summary>
internal static class TextTarget
{
    private static readonly TextParserOptions Strict = TextParserOptions.Default with { ThrowOnInvalid = true };

    // Limits small enough that fuzzed input hits them, so the refusal paths are fuzzed too.
    private static readonly TextParserOptions Tiny = new(MaxLineBytes: 80, MaxLabelsPerSeries: 2, MaxLabelNameBytes: 8, MaxLabelValueBytes: 16);

    public static void Run(byte[] body)
    {
        foreach (TextFormat format in (ReadOnlySpan<TextFormat>)[TextFormat.Prometheus, TextFormat.OpenMetrics])
        {
            (int entries, ParseError? firstError, int invalid) = ReadLenient(body, format, TextParserOptions.Default);
            ReadStrict(body, format, entries, firstError);
            _ = ReadLenient(body, format, Tiny);
            var limited = new FalcoMapper(new MappingOptions { Parser = Tiny, MaxSeriesPerScrape = 3 });
            limited.Map(body, format);
            FuzzInvariantException.Check(limited.Facts.SeriesScraped - limited.Facts.SeriesOverLimit <= 3, "max_series_per_scrape holds");

            var mapper = new FalcoMapper(new MappingOptions());
            for (int scrape = 0; scrape < 2; scrape++)
            {
                // The second pass goes through the series cache the first one filled.
                mapper.Map(body, format);
                FuzzInvariantException.Check(mapper.Facts.InvalidLines == invalid, "the mapper counts the parser's invalid lines");
                FuzzInvariantException.Check(mapper.Samples.Count <= mapper.Facts.SeriesScraped * 2, "at most a sample and its twin per series");
            }
        }
    }

    private static (int Entries, ParseError? FirstError, int Invalid) ReadLenient(byte[] body, TextFormat format, TextParserOptions options)
    {
        int newlines = body.AsSpan().Count((byte)'\n');
        var parser = new TextParser(body, format, options);
        int entries = 0;
        ParseError? first = null;
        while (parser.Read())
        {
            // One entry per line at most, plus OpenMetrics' missing-EOF entry: anything more means no progress.
            FuzzInvariantException.Check(++entries <= newlines + 2, "Read() makes progress");
            switch (parser.Kind)
            {
                case EntryKind.Sample:
                    CheckSample(ref parser);
                    break;
                case EntryKind.Invalid:
                    ParseError error = parser.Error;
                    first ??= error;
                    FuzzInvariantException.Check(error.Line == parser.LineNumber && error.Line >= 1 && error.Column >= 1, "error position");
                    FuzzInvariantException.Check(error.Message.EndsWith($", line {error.Line}, column {error.Column}", StringComparison.Ordinal), "error message ends with its position");
                    break;
                case EntryKind.None or EntryKind.Eof:
                    throw new FuzzInvariantException($"Read() returned true with Kind {parser.Kind}");
            }
        }

        FuzzInvariantException.Check(parser.Kind == EntryKind.Eof, "Kind is Eof at the end");
        FuzzInvariantException.Check(!parser.Read(), "Read() stays false at the end");
        return (entries, first, parser.InvalidLines);
    }

    private static void CheckSample(ref TextParser parser)
    {
        FuzzInvariantException.Check(!parser.MetricName.IsEmpty, "a sample has a name");
        FuzzInvariantException.Check(parser.Series.StartsWith(parser.MetricName), "Series starts with the name");
        int labels = 0;
        foreach (Label label in parser.Labels)
        {
            labels++;
            FuzzInvariantException.Check(!label.Name.IsEmpty, "a label has a name");
            _ = TextParser.UnescapeLabelValue(label.Value);
        }

        FuzzInvariantException.Check(labels == parser.LabelCount, "LabelCount matches the enumerated labels");
        if (parser.TryGetExactInteger(out long exact))
        {
            FuzzInvariantException.Check((double)exact == parser.Value, "the exact integer rounds to Value");
        }
    }

    private static void ReadStrict(byte[] body, TextFormat format, int lenientEntries, ParseError? firstError)
    {
        var parser = new TextParser(body, format, Strict);
        int entries = 0;
        try
        {
            while (parser.Read())
            {
                entries++;
            }
        }
        catch (TextFormatException e)
        {
            FuzzInvariantException.Check(firstError is { } first && e.Error == first, "strict mode throws the first lenient error");
            return;
        }

        FuzzInvariantException.Check(firstError is null && entries == lenientEntries, "strict mode reads what lenient mode reads");
    }
}
