namespace FalcoCheck.Parsing;

/// <summary>Internal outcome of parsing one line: the parser never uses exceptions for control flow.</summary>
internal enum LineResult : byte
{
    /// <summary>The line is an entry to return.</summary>
    Entry,

    /// <summary>Nothing to return (blank line, OpenMetrics <c># EOF</c>); read the next line.</summary>
    Skip,

    /// <summary>The line is broken; the error has been recorded.</summary>
    Invalid,
}
