using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace FalcoCheck.Configuration;

/// <summary>
/// Reads <c>auth_token</c> (Datadog's dynamic-credential option) with the one reader and writer FalcoCheck
/// implements: a token file put into a header. That covers Kubernetes service-account tokens and any
/// sidecar-rotated bearer token; the file itself is read at scrape time.
/// </summary>
internal static class AuthTokenReader
{
    public const string Key = "auth_token";

    private static readonly TextOption<string> ReaderType = Declare.Text("type", "`file` (Datadog's `oauth` is not supported)", "file", required: true);
    private static readonly TextOption<string> TokenFile = Declare.FilePath("path", "the token file, read at every scrape",
        "/var/run/secrets/kubernetes.io/serviceaccount/token", required: true);
    private static readonly TextOption<string> Pattern = Declare.Text("pattern", "a regular expression with one capture group: the token", "\"token: (.+)\"");
    private static readonly TextOption<string> WriterType = Declare.Text("type", "`header`", "header", required: true);
    private static readonly TextOption<string> HeaderName = Declare.Text("name", "the header", "Authorization", required: true);
    private static readonly TextOption<string> Value = Declare.Text("value", "the header's value, with the placeholder where the token goes", "Bearer <TOKEN>",
        @default: AuthTokenConfig.DefaultPlaceholder);
    private static readonly TextOption<string> Placeholder = Declare.Text("placeholder", "what `value` marks the token with", "<TOKEN>",
        @default: AuthTokenConfig.DefaultPlaceholder);

    public static OptionSection ReaderSection { get; } = new("auth_token.reader", "a mapping", [ReaderType, TokenFile, Pattern]) { Type = "file" };

    public static OptionSection WriterSection { get; } = new("auth_token.writer", "a mapping", [WriterType, HeaderName, Value, Placeholder]) { Type = "header" };

    private static readonly SectionOption Reader = Declare.Nested("reader", "where the token comes from",
        "\n  type: file\n  path: /var/run/secrets/kubernetes.io/serviceaccount/token", () => ReaderSection, required: true);
    private static readonly SectionOption Writer = Declare.Nested("writer", "where the token goes",
        "\n  type: header\n  name: Authorization\n  value: Bearer <TOKEN>", () => WriterSection, required: true);

    public static OptionSection Section { get; } = new(Key, "a mapping with reader and writer", [Reader, Writer]);

    public static AuthTokenConfig? Read(ConfigMapping instance)
    {
        if (!instance.Has(Key))
        {
            return null;
        }

        ConfigReadContext ctx = instance.Context;
        int errors = ctx.ErrorCount;
        if (Section.Open(ctx, instance.Get(Key), instance.PathOf(Key), instance.Position) is not { } map)
        {
            return null;
        }

        // Both are required; each is checked even when the other is missing, so one load reports both.
        bool hasReader = map.Require(Reader.Name);
        bool hasWriter = map.Require(Writer.Name);
        // Each opens by its type, as a sink does: the keys depend on it ("oauth" is Datadog's other reader).
        ConfigMapping? reader = hasReader ? SinkListReader.Open(ctx, map.Get(Reader.Name)!, map.PathOf(Reader.Name), [ReaderSection], "reader type", out _, "oauth") : null;
        ConfigMapping? writer = hasWriter ? SinkListReader.Open(ctx, map.Get(Writer.Name)!, map.PathOf(Writer.Name), [WriterSection], "writer type", out _) : null;
        string? path = reader is null ? null : TokenFile.Read(reader);
        string? pattern = reader is null ? null : Pattern.Read(reader);
        if (pattern is not null && RegexValidator.TryCompile(ctx, reader!.Get(Pattern.Name)!, reader.PathOf(Pattern.Name), pattern) is Regex regex
            && regex.GetGroupNumbers().Length - 1 is var groups and not 1)
        {
            // Group 0 is the whole match; the token is the one explicit group, as Datadog requires.
            reader.Error(Pattern.Name, $"must have exactly one capture group (the token), found {groups}");
        }

        string? name = writer is null ? null : HeaderName.Read(writer);
        if (name is not null && !HeaderRules.IsValidName(name))
        {
            writer!.Error(HeaderName.Name, "not a valid HTTP header name (letters, digits and !#$%&'*+-.^_`|~ only)");
        }

        string value = writer is null ? string.Empty : Value.Read(writer)!;
        string placeholder = writer is null ? string.Empty : Placeholder.Read(writer)!;
        if (writer is not null && name is not null && !value.Contains(placeholder, StringComparison.Ordinal))
        {
            // The value is a template, not a secret (the secret is in the file), so naming the placeholder is safe.
            writer.Error(writer.Has(Value.Name) ? Value.Name : Placeholder.Name, $"must contain the placeholder '{placeholder}' where the token goes");
        }

        return ctx.ErrorCount != errors || path is null || name is null ? null : new AuthTokenConfig(path, pattern, name, value, placeholder);
    }
}
