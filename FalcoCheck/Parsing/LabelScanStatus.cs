namespace FalcoCheck.Parsing;

/// <summary>Result of <see cref="LabelScanner.Next"/>.</summary>
internal enum LabelScanStatus : byte
{
    /// <summary>One label was read.</summary>
    Label,

    /// <summary>The closing <c>}</c> was read.</summary>
    End,

    /// <summary>The bytes are not a label set; the position points at the offending byte.</summary>
    Error,
}
