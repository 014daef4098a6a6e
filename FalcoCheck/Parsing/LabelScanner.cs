namespace FalcoCheck.Parsing;

/// <summary>
/// Reads one label of a label set. Shared by <see cref="TextParser.Read"/> (which validates and applies limits) and
/// <see cref="LabelEnumerator"/> (which re-scans lazily), so both see exactly the same labels.
/// </summary>
internal static class LabelScanner
{
    /// <summary>
    /// Reads the label at the <paramref name="cursor"/> (just after <c>{</c> or after the previous label; start with
    /// <c>default</c>). On <see cref="LabelScanStatus.Label"/> the cursor moves past the label and its comma; on
    /// <see cref="LabelScanStatus.End"/> past the <c>}</c>; on <see cref="LabelScanStatus.Error"/> its position is the
    /// offending byte.
    /// </summary>
    public static LabelScanStatus Next(
        ReadOnlySpan<byte> line, ref LabelCursor cursor, out LabelBounds label, out ParseErrorReason error)
    {
        label = default;
        int nameStart;
        int nameEnd;
        int open;
        if (cursor.PendingValueStart != 0)
        {
            // The previous value's closing-quote check already read this label's name, '=' and opening quote.
            nameStart = cursor.PendingNameStart;
            nameEnd = cursor.PendingNameEnd;
            open = cursor.PendingValueStart - 1;
            cursor.PendingValueStart = 0;
        }
        else
        {
            int p = ByteClass.SkipBlanks(line, cursor.Position);
            if (p == line.Length)
            {
                return Fail(ref cursor, p, ParseErrorReason.UnterminatedLabelSet, out error);
            }

            byte c = line[p];
            if (c == '}')
            {
                // Also ends "{}" and a trailing comma "{a="b",}".
                cursor.Position = p + 1;
                error = ParseErrorReason.None;
                return LabelScanStatus.End;
            }

            if (!ByteClass.IsLabelNameStart(c))
            {
                return Fail(ref cursor, p, ParseErrorReason.InvalidLabelName, out error);
            }

            nameStart = p;
            p = ByteClass.EndOfLabelName(line, p + 1);
            nameEnd = p;
            if (p < line.Length && line[p] != '=' && !ByteClass.IsBlank(line[p]))
            {
                return Fail(ref cursor, p, ParseErrorReason.InvalidLabelName, out error);
            }

            p = ByteClass.SkipBlanks(line, p);
            if (p == line.Length || line[p] != '=')
            {
                return Fail(ref cursor, p, ParseErrorReason.ExpectedLabelEquals, out error);
            }

            p = ByteClass.SkipBlanks(line, p + 1);
            if (p == line.Length || line[p] != '"')
            {
                return Fail(ref cursor, p, ParseErrorReason.ExpectedLabelValue, out error);
            }

            open = p;
        }

        int valueStart = open + 1;
        bool escaped = false;
        bool rawQuotes = false;
        int q = valueStart;
        while (true)
        {
            q = ByteClass.IndexOfQuoteOrBackslash(line, q);
            if (q < 0)
            {
                return Fail(ref cursor, open, ParseErrorReason.UnterminatedLabelValue, out error);
            }

            if (line[q] == '\\')
            {
                // Any escaped byte is skipped here, as Prometheus's lexer does; only \\ \" \n mean something.
                escaped = true;
                q += 2;
                if (q > line.Length)
                {
                    return Fail(ref cursor, open, ParseErrorReason.UnterminatedLabelValue, out error);
                }

                continue;
            }

            if (QuoteCloses(line, q, ref cursor))
            {
                break;
            }

            rawQuotes = true;
            q++;
        }

        label = new LabelBounds(nameStart, nameEnd, valueStart, q, escaped, rawQuotes);
        if (cursor.PendingValueStart == 0)
        {
            q = ByteClass.SkipBlanks(line, q + 1);
            if (q < line.Length && line[q] == ',')
            {
                q++;
            }

            cursor.Position = q;
        }

        error = ParseErrorReason.None;
        return LabelScanStatus.Label;
    }

    /// <summary>
    /// Whether the unescaped <c>"</c> at <paramref name="quote"/> ends the value. Falco does not escape label values
    /// (a 0.39 build wrote raw JSON into one), so a quote ends the value only when what follows can continue a label
    /// set: <c>}</c> then whitespace or end of line, or <c>,</c> then <c>}</c>, or <c>,</c> then <c>name="</c> (blanks
    /// allowed between tokens, as Prometheus allows). A quote at the end of the line also ends it, so that the
    /// error is "unterminated label set" rather than a misleading "unterminated value". Any other quote is raw.
    /// </summary>
    /// <remarks>
    /// NOTE: two consequences, both pinned by tests. A missing comma (<c>{a="b" c="d"}</c>) reads as one value with
    /// raw quotes, not as an error. A value glued to the brace (<c>{a="b"}1</c>, which Prometheus's lexer accepts)
    /// is an unterminated label value, because <c>}</c> must be followed by a blank.
    /// On a close by <c>,name="</c> the next label is left pending in <paramref name="next"/>, field by field: a
    /// whole-struct copy read back right after four narrow stores stalled on store forwarding (perf: 9% of the parse).
    /// </remarks>
    private static bool QuoteCloses(ReadOnlySpan<byte> line, int quote, ref LabelCursor next)
    {
        // What Falco writes, without blanks: '",name="' or '"} '. Anything else takes the general path below.
        int j = quote + 1;
        if (j + 1 < line.Length)
        {
            byte after = line[j];
            if (after == ',' && ByteClass.IsLabelNameStart(line[j + 1]))
            {
                int end = ByteClass.EndOfLabelName(line, j + 2);
                if (end + 1 < line.Length && line[end] == '=' && line[end + 1] == '"')
                {
                    next.Position = j + 1;
                    next.PendingNameStart = j + 1;
                    next.PendingNameEnd = end;
                    next.PendingValueStart = end + 2;
                    return true;
                }
            }
            else if (after == '}' && ByteClass.IsBlank(line[j + 1]))
            {
                return true;
            }
        }

        j = ByteClass.SkipBlanks(line, quote + 1);
        if (j == line.Length)
        {
            return true;
        }

        byte c = line[j];
        if (c == '}')
        {
            return j + 1 == line.Length || ByteClass.IsBlank(line[j + 1]);
        }

        if (c != ',')
        {
            return false;
        }

        j = ByteClass.SkipBlanks(line, j + 1);
        if (j == line.Length || line[j] == '}')
        {
            return true;
        }

        if (!ByteClass.IsLabelNameStart(line[j]))
        {
            return false;
        }

        int nameStart = j;
        int nameEnd = ByteClass.EndOfLabelName(line, j + 1);
        j = ByteClass.SkipBlanks(line, nameEnd);
        if (j == line.Length || line[j] != '=')
        {
            return false;
        }

        j = ByteClass.SkipBlanks(line, j + 1);
        if (j == line.Length || line[j] != '"')
        {
            return false;
        }

        next.Position = nameStart;
        next.PendingNameStart = nameStart;
        next.PendingNameEnd = nameEnd;
        next.PendingValueStart = j + 1;
        return true;
    }

    private static LabelScanStatus Fail(ref LabelCursor cursor, int at, ParseErrorReason reason, out ParseErrorReason error)
    {
        cursor = new LabelCursor { Position = at };
        error = reason;
        return LabelScanStatus.Error;
    }
}
