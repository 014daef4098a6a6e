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

    private const string FileReader = "file";
    private const string HeaderWriter = "header";

    public static OptionSection ReaderSection { get; } = new("auth_token.reader", "a mapping",
    [
        Declare.Text("type", "`file` (Datadog's `oauth` is not supported)", "file", required: true),
        Declare.FilePath("path", "the token file, read at every scrape", "/var/run/secrets/kubernetes.io/serviceaccount/token", required: true),
        Declare.Text("pattern", "a regular expression with one capture group: the token", "\"token: (.+)\""),
    ]);

    public static OptionSection WriterSection { get; } = new("auth_token.writer", "a mapping",
    [
        Declare.Text("type", "`header`", "header", required: true),
        Declare.Text("name", "the header", "Authorization", required: true),
        Declare.Text("value", "the header's value, with the placeholder where the token goes", "Bearer <TOKEN>", @default: AuthTokenConfig.DefaultPlaceholder),
        Declare.Text("placeholder", "what `value` marks the token with", "<TOKEN>", @default: AuthTokenConfig.DefaultPlaceholder),
    ]);

    public static OptionSection Section { get; } = new(Key, "a mapping with reader and writer",
    [
        Declare.Nested("reader", "where the token comes from", "\n  type: file\n  path: /var/run/secrets/kubernetes.io/serviceaccount/token", ReaderSection, required: true),
        Declare.Nested("writer", "where the token goes", "\n  type: header\n  name: Authorization\n  value: Bearer <TOKEN>", WriterSection, required: true),
    ]);

    // Datadog's other reader; we name it so the message says "not supported" rather than "unknown".
    private static readonly string[] DatadogOnlyReaders = ["oauth"];

    public static AuthTokenConfig? Read(ConfigMapping instance)
    {
        YamlNode? node = instance.Get(Key);
        if (YamlScalars.IsNull(node))
        {
            return null;
        }

        ConfigReadContext ctx = instance.Context;
        int errors = ctx.ErrorCount;
        ConfigMapping? map = Section.Open(ctx, node, instance.PathOf(Key), instance.Position);
        if (map is null)
        {
            return null;
        }

        bool hasReader = map.Require("reader");
        bool hasWriter = map.Require("writer");
        (string Path, string? Pattern)? reader = hasReader ? ReadReader(ctx, map) : null;
        (string Name, string Value, string Placeholder)? writer = hasWriter ? ReadWriter(ctx, map) : null;
        if (ctx.ErrorCount != errors || reader is null || writer is null)
        {
            return null;
        }

        return new AuthTokenConfig(reader.Value.Path, reader.Value.Pattern, writer.Value.Name, writer.Value.Value, writer.Value.Placeholder);
    }

    private static (string Path, string? Pattern)? ReadReader(ConfigReadContext ctx, ConfigMapping parent)
    {
        YamlNode? node = parent.Get("reader");
        if (!CheckType(ctx, node, parent.PathOf("reader"), FileReader, DatadogOnlyReaders))
        {
            return null;
        }

        ConfigMapping? map = ReaderSection.Open(ctx, node, parent.PathOf("reader"), parent.Position);
        if (map is null || !map.Require("path"))
        {
            return null;
        }

        string? path = map.FilePath("path");
        string? pattern = map.String("pattern");
        if (pattern is not null && RegexValidator.TryCompile(ctx, map.Get("pattern")!, map.PathOf("pattern"), pattern) is Regex regex)
        {
            // Group 0 is the whole match; the token is the one explicit group, as Datadog requires.
            int groups = regex.GetGroupNumbers().Length - 1;
            if (groups != 1)
            {
                map.Error("pattern", $"must have exactly one capture group (the token), found {groups}");
            }
        }

        return path is null ? null : (path, pattern);
    }

    private static (string Name, string Value, string Placeholder)? ReadWriter(ConfigReadContext ctx, ConfigMapping parent)
    {
        YamlNode? node = parent.Get("writer");
        if (!CheckType(ctx, node, parent.PathOf("writer"), HeaderWriter, []))
        {
            return null;
        }

        ConfigMapping? map = WriterSection.Open(ctx, node, parent.PathOf("writer"), parent.Position);
        if (map is null || !map.Require("name"))
        {
            return null;
        }

        string? name = map.String("name");
        if (name is not null && !HeaderRules.IsValidName(name))
        {
            map.Error("name", "not a valid HTTP header name (letters, digits and !#$%&'*+-.^_`|~ only)");
            return null;
        }

        string value = map.String("value") ?? AuthTokenConfig.DefaultPlaceholder;
        string placeholder = map.String("placeholder") ?? AuthTokenConfig.DefaultPlaceholder;
        if (!value.Contains(placeholder, StringComparison.Ordinal))
        {
            // The value is a template, not a secret (the secret is in the file), so naming the placeholder is safe.
            map.Error(map.Has("value") ? "value" : "placeholder", $"must contain the placeholder '{placeholder}' where the token goes");
            return null;
        }

        return name is null ? null : (name, value, placeholder);
    }

    /// <summary>Checks <c>type</c> first: the key list of a reader or writer depends on it.</summary>
    private static bool CheckType(ConfigReadContext ctx, YamlNode? node, string path, string supported, string[] datadogOnly)
    {
        if (node is not YamlMappingNode)
        {
            ctx.Error(node!, path, $"expected a mapping with type: {supported}, got {YamlScalars.KindName(node!)}");
            return false;
        }

        YamlNode? typeNode = ConfigMapping.Peek(node, "type");
        string typePath = ValueReader.Child(path, "type");
        if (YamlScalars.IsNull(typeNode))
        {
            ctx.Error(typeNode ?? node, typePath, $"required setting is missing (FalcoCheck supports type: {supported})");
            return false;
        }

        string? type = ValueReader.String(ctx, typeNode, typePath);
        if (type is null || type == supported)
        {
            return type is not null;
        }

        ctx.Error(typeNode!, typePath, datadogOnly.Contains(type, StringComparer.Ordinal)
            ? $"'{type}' is a Datadog option FalcoCheck does not support; FalcoCheck supports type: {supported}"
            : $"expected '{supported}', got {ValueReader.Quote(type)}");
        return false;
    }
}
