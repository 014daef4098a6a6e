using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace FalcoCheck.Configuration;

/// <summary>
/// Reads YAML text into YamlDotNet's representation model (nodes with start marks; no reflection, so NativeAOT
/// safe). A syntax error becomes one <see cref="ConfigError"/> at the position YamlDotNet reports; shapes that crash or
/// hang the representation model are refused first by <see cref="YamlStructureGuard"/>.
/// </summary>
internal static class YamlDocumentLoader
{
    /// <summary>
    /// Returns false after recording an error. On success <paramref name="root"/> is null for an empty file
    /// (or one holding only comments).
    /// </summary>
    public static bool TryLoad(ConfigReadContext ctx, string text, out YamlNode? root)
    {
        root = null;
        var parser = new TrackingParser(new YamlStructureGuard(new Parser(new StringReader(text))));
        var stream = new YamlStream();
        try
        {
            stream.Load(parser);
        }
        catch (YamlException e)
        {
            ctx.Error(ctx.At(e.Start.Line, e.Start.Column), string.Empty, Describe(e, text));
            return false;
        }
        catch (InvalidOperationException)
        {
            // NOTE: YamlDotNet 18.1 throws a bare InvalidOperationException for some unterminated flow
            // collections ("a: [1, 2" then a new line). The best position we have is the end of the last event
            // it did parse; pinned by a test so an upgrade that fixes it is noticed.
            Mark end = parser.LastEnd;
            ctx.Error(ctx.At(end.Line, end.Column), string.Empty,
                "invalid YAML after this point (is a '[' or '{' missing its closing bracket?)");
            return false;
        }
        catch (ArgumentException)
        {
            // NOTE: found by fuzzing (fuzz/run.sh config): for a key that is only blank (" : x", "- : x") YamlDotNet
            // 18.1's representation model throws "The current event is of an unsupported type". Same treatment as
            // above; pinned by Hardening/FuzzRegressionTests.
            Mark end = parser.LastEnd;
            ctx.Error(ctx.At(end.Line, end.Column), string.Empty, "invalid YAML after this point");
            return false;
        }

        if (stream.Documents.Count > 1)
        {
            YamlDocument second = stream.Documents[1];
            ctx.Error(ctx.At(second.RootNode.Start.Line, second.RootNode.Start.Column), string.Empty,
                $"expected one YAML document, found {stream.Documents.Count} (remove the '---' separators)");
            return false;
        }

        root = stream.Documents.Count == 0 ? null : stream.Documents[0].RootNode;
        return true;
    }

    private static string Describe(YamlException e, string text)
    {
        string message = e.Message.TrimEnd('.');
        if (message.Length == 0)
        {
            message = "invalid YAML";
        }

        // A value starting with %%env_…%% must be quoted: '%' is a YAML indicator and cannot start a plain scalar.
        if (CharAt(text, e.Start.Line, e.Start.Column) == '%')
        {
            message += "; a value starting with '%' must be quoted, as in \"%%env_NAME%%\"";
        }

        return message;
    }

    private static char CharAt(string text, long line, long column)
    {
        string[] lines = text.Split('\n');
        return line >= 1 && line <= lines.Length && column >= 1 && column <= lines[line - 1].Length ? lines[line - 1][(int)column - 1] : '\0';
    }

    /// <summary>Remembers where the last successfully parsed event ended, for errors YamlDotNet gives no mark.</summary>
    private sealed class TrackingParser(IParser inner) : IParser
    {
        public Mark LastEnd { get; private set; } = Mark.Empty;

        public ParsingEvent? Current => inner.Current;

        public bool MoveNext()
        {
            bool moved = inner.MoveNext();
            if (moved && inner.Current is not null)
            {
                LastEnd = inner.Current.End;
            }

            return moved;
        }
    }
}
