namespace FalcoCheck.Parsing;

/// <summary>
/// Thrown by <see cref="TextParser.Read"/> when <see cref="TextParserOptions.ThrowOnInvalid"/> is set, or by callers
/// that want a broken body to fail as a whole. The message is <see cref="ParseError.Message"/>.
/// </summary>
internal sealed class TextFormatException : FormatException
{
    public TextFormatException(ParseError error)
        : base(error.Message)
    {
        Error = error;
    }

    public ParseError Error { get; }
}
