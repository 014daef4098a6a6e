using System.Globalization;

namespace FalcoCheck.Configuration;

/// <summary>
/// Declares options: one call per option, with its name, default, bounds, one line of doc and an example.
/// Each returns a typed option whose reader is a plain delegate (no reflection, for NativeAOT).
/// </summary>
internal static class Declare
{
    public static ValueOption<bool> Bool(string name, bool @default, string doc, string? example = null) =>
        new(name, OptionKind.Bool, doc, static (m, n) => m.Bool(n))
        {
            DefaultValue = @default, Default = @default ? "true" : "false", Example = example ?? (@default ? "true" : "false"),
        };

    /// <summary>Seconds (decimals allowed, 0.001 to one day). A null default with a rule is derived by the reader.</summary>
    public static ValueOption<TimeSpan> Seconds(string name, double? @default, string doc, string? example = null, string? rule = null,
        IReadOnlyList<string>? derivedFrom = null) =>
        new(name, OptionKind.Seconds, doc, static (m, n) => m.Seconds(n))
        {
            DefaultValue = @default is { } d ? TimeSpan.FromSeconds(d) : null, Default = Literal(@default), DefaultRule = rule,
            Example = example ?? Literal(@default), DerivedFrom = derivedFrom ?? [],
        };

    public static ValueOption<long> Integer(string name, long @default, long min, long max, string doc, string? example = null, string? rule = null) =>
        Number(name, OptionKind.Integer, @default, min, max, doc, example, rule);

    /// <summary>A size in bytes; the same reading as <see cref="Integer"/>, documented as bytes.</summary>
    public static ValueOption<long> Bytes(string name, long @default, long min, long max, string doc, string? example = null, string? rule = null) =>
        Number(name, OptionKind.Bytes, @default, min, max, doc, example, rule);

    public static TextOption<string> Text(string name, string doc, string? example = null, string? rule = null, bool required = false, string? @default = null) =>
        new(name, OptionKind.String, doc, static (m, n) => m.String(n))
        {
            Example = example, DefaultRule = rule, Required = required, DefaultValue = @default, Default = @default,
        };

    /// <summary>Never printed: the value becomes a <see cref="Configuration.Secret"/>.</summary>
    public static TextOption<Secret> SecretText(string name, string doc, string? example = null, string? rule = null) =>
        new(name, OptionKind.Secret, doc, static (m, n) => m.Secret(n)) { Example = example, DefaultRule = rule };

    /// <summary>A file path; a relative path resolves against the config file's directory.</summary>
    public static TextOption<string> FilePath(string name, string doc, string? example = null, string? rule = null, bool required = false) =>
        new(name, OptionKind.Path, doc, static (m, n) => m.FilePath(n)) { Example = example, DefaultRule = rule, Required = required };

    /// <summary>One word of <paramref name="values"/>; a near miss gets a "did you mean".</summary>
    public static TextOption<string> OneOf(string name, IReadOnlyList<string> values, string? @default, string doc, string? example = null) =>
        new(name, OptionKind.Enum, doc, (m, n) => m.OneOf(n, values))
        {
            DefaultValue = @default, Default = @default, Example = example ?? @default,
        };

    public static TextOption<Uri> Url(string name, IReadOnlyList<string> schemes, string doc, string? example = null, bool required = false, string? rule = null) =>
        new(name, OptionKind.Url, doc, (m, n) => m.Url(n, schemes)) { Example = example, Required = required, DefaultRule = rule };

    public static TextOption<IReadOnlyList<string>> StringList(string name, string doc, string? example = null, string? rule = null) =>
        new(name, OptionKind.List, doc, static (m, n) => m.StringList(n)) { Example = example, DefaultRule = rule };

    public static TextOption<IReadOnlyDictionary<string, string>> StringMap(string name, string doc, string? example = null) =>
        new(name, OptionKind.Map, doc, static (m, n) => m.StringMap(n)) { Example = example };

    /// <summary>A value with a shape of its own, read by its own code (a nested mapping, a list of entries).</summary>
    public static SectionOption Nested(string name, string doc, string? example = null, OptionSection? section = null,
        OptionKind kind = OptionKind.Section, string? typeWord = null, string? rule = null, bool required = false) =>
        new(name, doc, section, kind) { Example = example, TypeWord = typeWord, DefaultRule = rule, Required = required };

    private static ValueOption<long> Number(string name, OptionKind kind, long @default, long min, long max, string doc, string? example, string? rule) =>
        new(name, kind, doc, (m, n) => m.Integer(n, min, max))
        {
            DefaultValue = @default, Default = Literal(@default), DefaultRule = rule, Example = example ?? Literal(@default),
        };

    private static string? Literal(double? value) => value?.ToString(CultureInfo.InvariantCulture);
}
