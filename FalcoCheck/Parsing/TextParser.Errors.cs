using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;

namespace FalcoCheck.Parsing;

/// <summary>Error recording, off the hot path: messages are built only for broken lines.</summary>
internal ref partial struct TextParser
{
    /// <summary>Records an error at byte offset <paramref name="at"/> of <paramref name="line"/>.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private LineResult Fail(ParseErrorReason reason, ReadOnlySpan<byte> line, int at)
    {
        _error = ParseErrorFormatter.Create(reason, line, at, _lineNumber);
        return LineResult.Invalid;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private LineResult FailInvalidUtf8(ReadOnlySpan<byte> line)
    {
        int at = 0;
        while (at < line.Length && Rune.DecodeFromUtf8(line[at..], out _, out int consumed) == OperationStatus.Done)
        {
            at += consumed;
        }

        return Fail(ParseErrorReason.InvalidUtf8, line, at);
    }
}
