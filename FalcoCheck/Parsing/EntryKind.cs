namespace FalcoCheck.Parsing;

/// <summary>What <see cref="TextParser.Read"/> found on the current line.</summary>
internal enum EntryKind : byte
{
    /// <summary>Nothing read yet.</summary>
    None,

    /// <summary><c># HELP name text</c>: <see cref="TextParser.MetricName"/> and <see cref="TextParser.HelpText"/>.</summary>
    Help,

    /// <summary><c># TYPE name type</c>: <see cref="TextParser.MetricName"/> and <see cref="TextParser.Type"/>.</summary>
    Type,

    /// <summary>A sample: name, labels, value and optional timestamp.</summary>
    Sample,

    /// <summary>Any other line starting with <c>#</c>.</summary>
    Comment,

    /// <summary>A broken line: <see cref="TextParser.Error"/> says where and why. The parser resumes at the next line.</summary>
    Invalid,

    /// <summary>OpenMetrics <c># UNIT name unit</c>: <see cref="TextParser.MetricName"/> and <see cref="TextParser.UnitText"/>.</summary>
    Unit,

    /// <summary>The end of the input (or of OpenMetrics <c># EOF</c>): set when <see cref="TextParser.Read"/> returns false.</summary>
    Eof,
}
