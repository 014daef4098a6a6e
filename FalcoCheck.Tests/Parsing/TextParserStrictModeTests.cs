using System.Text;
using FalcoCheck.Parsing;

namespace FalcoCheck.Tests.Parsing;

/// <summary>TextParserOptions.ThrowOnInvalid: a broken line throws TextFormatException with its location.</summary>
internal sealed class TextParserStrictModeTests
{
    private static readonly TextParserOptions Strict = TextParserOptions.Default with { ThrowOnInvalid = true };

    [TestCase("ok 1\nfoo{a=\"b\"} x\n", 2, 12, "invalid sample value: \"x\", line 2, column 12")]
    [TestCase("ok 1\n\n# TYPE ok gauges\n", 3, 11, "invalid TYPE line: \"gauges\", line 3, column 11")]
    public void Throws_with_line_and_column(string input, int line, int column, string message)
    {
        byte[] body = Encoding.UTF8.GetBytes(input);
        int readBeforeThrow = 0;

        TextFormatException? exception = Assert.Throws<TextFormatException>(() =>
        {
            var parser = new TextParser(body, TextFormat.Prometheus, Strict);
            while (parser.Read())
            {
                readBeforeThrow++;
            }
        });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exception!.Error.Line, Is.EqualTo(line));
            Assert.That(exception.Error.Column, Is.EqualTo(column));
            Assert.That(exception.Message, Is.EqualTo(message));
            Assert.That(exception, Is.InstanceOf<FormatException>());
            Assert.That(readBeforeThrow, Is.EqualTo(1), "the good line before was returned");
        }
    }

    [Test]
    public void Throws_for_missing_OpenMetrics_EOF()
    {
        TextFormatException? exception = Assert.Throws<TextFormatException>(() =>
        {
            var parser = new TextParser("a 1\n"u8, TextFormat.OpenMetrics, Strict);
            while (parser.Read())
            {
            }
        });

        Assert.That(exception!.Error.Reason, Is.EqualTo(ParseErrorReason.MissingEof));
    }

    [TestCaseSource(typeof(FixtureFiles), nameof(FixtureFiles.Names))]
    public void Real_Falco_payloads_pass_strict_mode(string name)
    {
        byte[] body = FixtureFiles.Read(name);
        int entries = 0;

        Assert.DoesNotThrow(() =>
        {
            var parser = new TextParser(body, TextFormat.Prometheus, Strict);
            while (parser.Read())
            {
                entries++;
            }
        });
        Assert.That(entries, Is.GreaterThan(30));
    }
}
