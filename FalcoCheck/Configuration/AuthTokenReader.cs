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

    public static OptionSection ReaderSection { get; } = new("auth_token.reader", "a mapping", [ReaderType, TokenFile, Pattern]);

    public static OptionSection WriterSection { get; } = new("auth_token.writer", "a mapping", [WriterType, HeaderName, Value, Placeholder]);

    private static readonly SectionOption Reader = Declare.Nested("reader", "where the token comes from",
        "\n  type: file\n  path: /var/run/secrets/kubernetes.io/serviceaccount/token", ReaderSection, required: true);
    private static readonly SectionOption Writer = Declare.Nested("writer", "where the token goes",
        "\n  type: header\n  name: Authorization\n  value: Bearer <TOKEN>", WriterSection, required: true);

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
        ConfigMapping? reader = hasReader ? OpenTyped(map, Reader, "file", datadogOnly: "oauth") : null;
        ConfigMapping? writer = hasWriter ? OpenTyped(map, Writer, "header") : null;
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

    /// <summary>
    /// Opens a reader or writer after checking its <c>type</c> first: the keys depend on it. Null after an error;
    /// <paramref name="datadogOnly"/> is Datadog's other type, named so the message says "not supported", not "unknown".
    /// </summary>
    private static ConfigMapping? OpenTyped(ConfigMapping parent, SectionOption option, string supported, string? datadogOnly = null)
    {
        ConfigReadContext ctx = parent.Context;
        YamlNode? node = parent.Get(option.Name);
        string path = parent.PathOf(option.Name);
        if (node is not YamlMappingNode)
        {
            ctx.Error(node!, path, $"expected a mapping with type: {supported}, got {YamlScalars.KindName(node!)}");
            return null;
        }

        YamlNode? typeNode = ConfigMapping.Peek(node, "type");
        string typePath = ValueReader.Child(path, "type");
        if (YamlScalars.IsNull(typeNode))
        {
            ctx.Error(typeNode ?? node, typePath, $"required setting is missing (FalcoCheck supports type: {supported})");
            return null;
        }

        string? type = ValueReader.String(ctx, typeNode, typePath);
        if (type is not null && type != supported)
        {
            ctx.Error(typeNode!, typePath, type == datadogOnly
                ? $"'{type}' is a Datadog option FalcoCheck does not support; FalcoCheck supports type: {supported}"
                : $"expected '{supported}', got {ValueReader.Quote(type)}");
        }

        return type == supported ? option.Open(parent) : null;
    }
}
