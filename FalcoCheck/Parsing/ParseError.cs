namespace FalcoCheck.Parsing;

/// <summary>
/// Where and why a line is broken. <paramref name="Column"/> is the 1-based byte column of the offending byte;
/// <paramref name="Message"/> quotes the fragment (non-printable bytes as <c>0xNN</c>) and ends with
/// <c>line L, column C</c>.
/// </summary>
internal readonly record struct ParseError(int Line, int Column, ParseErrorReason Reason, string Message);
