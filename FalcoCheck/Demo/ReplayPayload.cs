using System.Globalization;
using System.Text;
using FalcoCheck.Parsing;

namespace FalcoCheck.Demo;

/// <summary>
/// A recorded Falco payload that moves like a live one: each rendering adds a little to every counter, and a
/// simulated restart sets the start timestamp to now and the counters back to their recorded values.
/// Safe to render from several requests at once.
/// </summary>
internal sealed class ReplayPayload
{
    private readonly string[] _lines;
    private readonly (int Line, string Prefix, decimal Value, bool Decimal)[] _counters;
    private readonly List<(int Line, string Prefix)> _startLines = [];
    private long? _startOverrideNs;
    private readonly Lock _lock = new();
    private int _renders;

    public ReplayPayload(string text)
    {
        _lines = text.Split('\n');
        var counters = new List<(int, string, decimal, bool)>();
        var bytes = Encoding.UTF8.GetBytes(text);
        var parser = new TextParser(bytes);
        var familyIsCounter = false;
        while (parser.Read())
        {
            if (parser.Kind == EntryKind.Type)
            {
                familyIsCounter = parser.Type == MetricType.Counter;
                continue;
            }

            if (parser.Kind != EntryKind.Sample)
            {
                continue;
            }

            var index = parser.LineNumber - 1;
            var line = _lines[index].TrimEnd('\r');
            var space = line.LastIndexOf(' ');
            var prefix = line[..space];
            var valueText = line[(space + 1)..];
            if (familyIsCounter && decimal.TryParse(valueText, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                counters.Add((index, prefix, value, valueText.Contains('.', StringComparison.Ordinal)));
            }
            else if (parser.MetricName.SequenceEqual("falcosecurity_falco_start_timestamp_nanoseconds"u8))
            {
                _startLines.Add((index, prefix));
            }
        }

        _counters = [.. counters];
    }

    /// <summary>Times this payload was served since the last restart.</summary>
    public int Renders => _renders;

    /// <summary>Simulates a Falco restart: new start timestamp, counters back to their recorded values.</summary>
    public void Restart(long startNs)
    {
        lock (_lock)
        {
            _startOverrideNs = startNs;
            _renders = 0;
        }
    }

    public string Render()
    {
        // Whole renderings in order: a later request never sees smaller counters than an earlier one.
        lock (_lock)
        {
            var step = _renders++;
            var lines = (string[])_lines.Clone();
            for (var i = 0; i < _counters.Length; i++)
            {
                var (line, prefix, value, isDecimal) = _counters[i];
                var moved = value + (step * ((i % 7) + 1));
                lines[line] = prefix + " " + (isDecimal ? moved.ToString("F6", CultureInfo.InvariantCulture) : moved.ToString(CultureInfo.InvariantCulture));
            }

            if (_startOverrideNs is { } start)
            {
                foreach (var (line, prefix) in _startLines)
                {
                    lines[line] = prefix + " " + start.ToString(CultureInfo.InvariantCulture);
                }
            }

            return string.Join('\n', lines);
        }
    }
}
