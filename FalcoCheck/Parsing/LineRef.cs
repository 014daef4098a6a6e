namespace FalcoCheck.Parsing;

/// <summary>One line of the body: its 1-based number and its bounds (offsets into the body, end exclusive, no terminator).</summary>
internal readonly record struct LineRef(int Number, int Start, int End);
