using System.Globalization;
using System.Text;
using FalcoCheck.Parsing;

namespace FalcoCheck.Tests.Parsing;

/// <summary>
/// One entry as the parser yields it, copied into strings so that tables can state whole expected sequences.
/// <see cref="Text"/> is the HELP text, TYPE name, UNIT, or for Invalid "Reason@column".
/// </summary>
internal sealed record ParsedEntry(
    EntryKind Kind,
    string Name,
    IReadOnlyList<(string Name, string Value)> Labels,
    double Value,
    long? Timestamp,
    int Line,
    string? Text = null)
{
    private static readonly (string, string)[] NoLabels = [];

    public static ParsedEntry Sample(int line, string name, double value, params (string, string)[] labels) =>
        new(EntryKind.Sample, name, labels, value, null, line);

    public static ParsedEntry Sample(int line, string name, double value, long timestamp, params (string, string)[] labels) =>
        new(EntryKind.Sample, name, labels, value, timestamp, line);

    public static ParsedEntry Help(int line, string name, string text) => new(EntryKind.Help, name, NoLabels, 0, null, line, text);

    public static ParsedEntry Type(int line, string name, MetricType type) =>
        new(EntryKind.Type, name, NoLabels, 0, null, line, type.ToString());

    public static ParsedEntry Unit(int line, string name, string unit) => new(EntryKind.Unit, name, NoLabels, 0, null, line, unit);

    public static ParsedEntry Comment(int line) => new(EntryKind.Comment, string.Empty, NoLabels, 0, null, line);

    public static ParsedEntry Invalid(int line, ParseErrorReason reason, int column) =>
        new(EntryKind.Invalid, string.Empty, NoLabels, 0, null, line, string.Create(CultureInfo.InvariantCulture, $"{reason}@{column}"));

    public static List<ParsedEntry> ParseAll(string text, TextFormat format = TextFormat.Prometheus) =>
        ParseAll(Encoding.UTF8.GetBytes(text), format, TextParserOptions.Default);

    /// <summary>Reads the whole body; label values are unescaped.</summary>
    public static List<ParsedEntry> ParseAll(byte[] body, TextFormat format, TextParserOptions options)
    {
        var entries = new List<ParsedEntry>();
        var parser = new TextParser(body, format, options);
        while (parser.Read())
        {
            entries.Add(From(ref parser));
        }

        Assert.That(parser.Kind, Is.EqualTo(EntryKind.Eof), "Kind after Read() returned false");
        return entries;
    }

    public static ParsedEntry From(ref TextParser parser)
    {
        string name = Encoding.UTF8.GetString(parser.MetricName);
        switch (parser.Kind)
        {
            case EntryKind.Sample:
                var labels = new List<(string, string)>();
                foreach (Label label in parser.Labels)
                {
                    labels.Add((Encoding.UTF8.GetString(label.Name), TextParser.UnescapeLabelValue(label.Value)));
                }

                Assert.That(labels, Has.Count.EqualTo(parser.LabelCount), "LabelCount");
                return new ParsedEntry(
                    EntryKind.Sample, name, labels, parser.Value, parser.HasTimestamp ? parser.Timestamp : null, parser.LineNumber);
            case EntryKind.Help:
                return Help(parser.LineNumber, name, Encoding.UTF8.GetString(parser.HelpText));
            case EntryKind.Type:
                return Type(parser.LineNumber, name, parser.Type);
            case EntryKind.Unit:
                return Unit(parser.LineNumber, name, Encoding.UTF8.GetString(parser.UnitText));
            case EntryKind.Invalid:
                return Invalid(parser.LineNumber, parser.Error.Reason, parser.Error.Column);
            default:
                return Comment(parser.LineNumber);
        }
    }

    public bool Equals(ParsedEntry? other) =>
        other is not null
        && Kind == other.Kind
        && Name == other.Name
        && Labels.SequenceEqual(other.Labels)
        && Value.Equals(other.Value)
        && double.IsNegative(Value) == double.IsNegative(other.Value)
        && Timestamp == other.Timestamp
        && Line == other.Line
        && Text == other.Text;

    public override int GetHashCode() => HashCode.Combine(Kind, Name, Line);

    public override string ToString()
    {
        var text = new StringBuilder().Append(CultureInfo.InvariantCulture, $"{Kind}@{Line} {Name}");
        if (Labels.Count > 0)
        {
            text.Append('{').AppendJoin(',', Labels.Select(l => $"{l.Name}=\"{l.Value}\"")).Append('}');
        }

        if (Kind == EntryKind.Sample)
        {
            text.Append(' ').Append(Value.ToString("R", CultureInfo.InvariantCulture));
        }

        if (Timestamp is long ts)
        {
            text.Append(CultureInfo.InvariantCulture, $" {ts}");
        }

        return Text is null ? text.ToString() : text.Append(" [").Append(Text).Append(']').ToString();
    }
}
