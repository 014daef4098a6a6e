using System.Text;
using CsCheck;
using FalcoCheck.Parsing;
using FalcoCheck.Tests.Parsing;

namespace FalcoCheck.Tests.Hardening;

/// <summary>
/// Properties of TextParser over generated input (CsCheck; a failure prints the seed to replay it with
/// <c>seed:</c>). Valid samples rendered any allowed way read back as the same samples; any byte mutation of a
/// body throws nothing but the documented parse error, and that only in strict mode.
/// </summary>
internal sealed class TextPropertyTests
{
    private const int Iterations = 2_000;

    private static readonly TextParserOptions Strict = TextParserOptions.Default with { ThrowOnInvalid = true };

    [TestCase(TextFormat.Prometheus)]
    [TestCase(TextFormat.OpenMetrics)]
    public void Valid_samples_rendered_any_allowed_way_read_back_unchanged(TextFormat format)
    {
        var gen =
            from samples in TextSample.Generator(timestamps: true).Array[0, 20]
            from body in TextSample.Body(samples, format)
            select (samples, body);

        gen.Sample((samples, body) =>
        {
            var bytes = Encoding.UTF8.GetBytes(body);
            var read = ReadSamples(bytes, format, TextParserOptions.Default);
            var strict = ReadSamples(bytes, format, Strict);
            Require(read.Count == samples.Length, $"{read.Count} samples read, {samples.Length} written");
            for (var i = 0; i < samples.Length; i++)
            {
                Require(Same(samples[i], read[i]), $"sample {i}: wrote {samples[i]}, read {read[i]}");
            }

            Require(strict.Count == read.Count, "strict mode reads the same");
        }, iter: Iterations);
    }

    [Test]
    public void Any_byte_mutation_throws_nothing_but_the_parse_error_in_strict_mode()
    {
        var bodies = Gen.Frequency(
            (3, from samples in TextSample.Generator(timestamps: true).Array[1, 8]
                from format in Gen.Enum<TextFormat>()
                from body in TextSample.Body(samples, format)
                select Encoding.UTF8.GetBytes(body)),
            (1, Gen.OneOf(FixtureFiles.Names().Select(FixtureFiles.Read).ToArray())));
        var gen =
            from body in bodies
            from edits in Mutation.Generator.Array[1, 12]
            select Mutation.Apply(body, edits);

        // HostileBody throws anything the parser or mapper throws other than TextFormatException in strict mode.
        gen.Sample(body => { HostileBody.ReadEverywhere(body); }, iter: Iterations);
    }

    [Test]
    public void The_round_trip_property_can_fail()
    {
        // A sample whose value is written one way and modelled another must be caught by Same().
        var written = new TextSample("a", [("l", "x\"y")], "2", 1.0, null, null);
        var read = ReadSamples(Encoding.UTF8.GetBytes("a{l=\"x\\\"y\"} 2\n"), TextFormat.Prometheus, TextParserOptions.Default);

        Assert.That(Same(written, read.Single()), Is.False);
        Assert.That(Same(written with { ValueText = "1", Exact = 1 }, ReadSamples("a{l=\"x\\\"y\"} 1\n"u8.ToArray(), TextFormat.Prometheus, TextParserOptions.Default).Single()), Is.True);
    }

    private static bool Same(TextSample written, (ParsedEntry Entry, long? Exact) read) =>
        read.Entry.Name == written.Name
        && read.Entry.Labels.SequenceEqual(written.Labels)
        && (BitConverter.DoubleToInt64Bits(read.Entry.Value) == BitConverter.DoubleToInt64Bits(written.Value)
            || (double.IsNaN(read.Entry.Value) && double.IsNaN(written.Value)))
        && read.Entry.Timestamp == written.TimestampMs
        && read.Exact == written.Exact;

    private static List<(ParsedEntry Entry, long? Exact)> ReadSamples(byte[] body, TextFormat format, TextParserOptions options)
    {
        var samples = new List<(ParsedEntry, long?)>();
        var parser = new TextParser(body, format, options);
        while (parser.Read())
        {
            Require(parser.Kind != EntryKind.Invalid, "invalid line: " + parser.Error.Message);
            if (parser.Kind == EntryKind.Sample)
            {
                samples.Add((ParsedEntry.From(ref parser), parser.TryGetExactInteger(out var exact) ? exact : null));
            }
        }

        return samples;
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new InvalidOperationException(message);
        }
    }
}
