using System.Globalization;
using System.Net;

namespace FalcoCheck.Configuration;

/// <summary>
/// Declares options: one call per option, with its name, default, bounds, one line of doc and an example.
/// Each returns a typed option whose reader is a plain delegate (no reflection, for NativeAOT).
/// </summary>
internal static class Declare
{
    public static ValueOption<bool> Bool(string name, bool @default, string doc, string? example = null) =>
        new(name, OptionKind.Bool, doc, ValueReader.Bool)
        {
            DefaultValue = @default, Default = @default ? "true" : "false", Example = example ?? (@default ? "true" : "false"),
        };

    /// <summary>Seconds (decimals allowed, 0.001 to one day). A null default with a rule is derived by the reader.</summary>
    public static ValueOption<TimeSpan> Seconds(string name, double? @default, string doc, string? example = null, string? rule = null,
        IReadOnlyList<string>? derivedFrom = null) =>
        new(name, OptionKind.Seconds, doc, ValueReader.Seconds)
        {
            DefaultValue = @default is { } d ? TimeSpan.FromSeconds(d) : null, Default = Literal(@default), DefaultRule = rule,
            Example = example ?? Literal(@default), DerivedFrom = derivedFrom ?? [],
        };

    public static ValueOption<long> Integer(string name, long @default, long min, long max, string doc, string? example = null, string? rule = null) =>
        Number(name, OptionKind.Integer, @default, min, max, doc, example, rule);

    /// <summary>A size in bytes; the same reading as <see cref="Integer"/>, documented as bytes.</summary>
    public static ValueOption<long> Bytes(string name, long @default, long min, long max, string doc, string? example = null, string? rule = null) =>
        Number(name, OptionKind.Bytes, @default, min, max, doc, example, rule);

    /// <summary>A string; <paramref name="allowEmpty"/> takes an empty one (an environment variable set to nothing).</summary>
    public static TextOption<string> Text(string name, string doc, string? example = null, string? rule = null, bool required = false, string? @default = null,
        bool allowEmpty = false) =>
        new(name, OptionKind.String, doc, (c, n, p) => ValueReader.String(c, n, p, allowEmpty))
        {
            Example = example, DefaultRule = rule, Required = required, DefaultValue = @default, Default = @default,
        };

    /// <summary>Never printed: the value becomes a <see cref="Configuration.Secret"/>.</summary>
    public static TextOption<Secret> SecretText(string name, string doc, string? example = null, string? rule = null) =>
        new(name, OptionKind.Secret, doc, static (c, n, p) => ValueReader.String(c, n, p) is { } text ? new Secret(text) : null)
        {
            Example = example, DefaultRule = rule,
        };

    /// <summary>A file path; a relative path resolves against the config file's directory.</summary>
    public static TextOption<string> FilePath(string name, string doc, string? example = null, string? rule = null, bool required = false) =>
        new(name, OptionKind.Path, doc, static (c, n, p) => ValueReader.String(c, n, p) is { } path ? c.ResolvePath(path) : null)
        {
            Example = example, DefaultRule = rule, Required = required,
        };

    /// <summary>One word of <paramref name="values"/>; a near miss gets a "did you mean".</summary>
    public static TextOption<string> OneOf(string name, IReadOnlyList<string> values, string? @default, string doc, string? example = null) =>
        new(name, OptionKind.Enum, doc, (c, n, p) => ValueReader.OneOf(c, n, p, values))
        {
            DefaultValue = @default, Default = @default, Example = example ?? @default,
        };

    /// <summary>
    /// One word of <paramref name="choices"/>, read as the value it stands for; the first is the default. A near miss
    /// gets a "did you mean".
    /// </summary>
    public static ValueOption<T> Choice<T>(string name, (string Word, T Value)[] choices, string doc, string? example = null) where T : struct
    {
        string[] words = [.. choices.Select(c => c.Word)];
        return new(name, OptionKind.Enum, doc, (c, n, p) => ValueReader.OneOf(c, n, p, words) is { } word ? choices[Array.IndexOf(words, word)].Value : null)
        {
            DefaultValue = choices[0].Value, Default = words[0], Example = example ?? words[0],
        };
    }

    public static TextOption<Uri> Url(string name, IReadOnlyList<string> schemes, string doc, string? example = null, bool required = false, string? rule = null) =>
        new(name, OptionKind.Url, doc, (c, n, p) => ValueReader.Url(c, n, p, schemes)) { Example = example, Required = required, DefaultRule = rule };

    /// <summary>A list of strings; <paramref name="commas"/> also takes one comma-separated string, as NO_PROXY does.</summary>
    public static TextOption<IReadOnlyList<string>> StringList(string name, string doc, string? example = null, string? rule = null, bool commas = false) =>
        new(name, OptionKind.List, doc, commas ? ValueReader.CommaList : static (c, n, p) => ValueReader.StringList(c, n, p))
        {
            Example = example, DefaultRule = rule,
        };

    public static TextOption<IReadOnlyDictionary<string, string>> StringMap(string name, string doc, string? example = null) =>
        new(name, OptionKind.Map, doc, static (c, n, p) => ValueReader.StringMap(c, n, p)) { Example = example };

    /// <summary>A Datadog site (<c>datadoghq.eu</c>): a host name with a dot, no scheme or path.</summary>
    public static TextOption<string> Site(string name, string doc, string? example, string rule) =>
        new(name, OptionKind.String, doc, static (c, n, p) =>
        {
            string? site = ValueReader.String(c, n, p);
            if (site is not null && !AgentConfigReader.IsValidSite(site))
            {
                c.Error(n!, p, AgentConfigReader.SiteMessage);
                return null;
            }

            return site;
        })
        { Example = example, DefaultRule = rule };

    /// <summary>HTTP headers, checked by <see cref="HeaderRules"/>; names are case-insensitive.</summary>
    public static TextOption<IReadOnlyDictionary<string, string>> Headers(string name, string doc, string? example = null, string? rule = null) =>
        new(name, OptionKind.Map, doc, HeaderRules.Read) { Example = example, DefaultRule = rule };

    /// <summary>
    /// An address and port to listen on (<see cref="StatusConfig.TryParseListen"/>), 127.0.0.1 and <paramref name="port"/>
    /// by default; port 0 (a free port) only when <paramref name="anyPort"/>.
    /// </summary>
    public static TextOption<IPEndPoint> Listen(string name, int port, bool anyPort, string doc) =>
        new(name, OptionKind.String, doc, (c, n, p) =>
        {
            string? text = ValueReader.String(c, n, p);
            if (text is null)
            {
                return null;
            }

            if (StatusConfig.TryParseListen(text, out IPEndPoint endpoint, anyPort))
            {
                return endpoint;
            }

            c.Error(n!, p, $"expected an IP address and port such as 127.0.0.1:{port} or [::1]:{port}"
                + (anyPort ? " (port 0 picks a free port)" : string.Empty) + $", got {ValueReader.Quote(text)}");
            return null;
        })
        {
            DefaultValue = new IPEndPoint(IPAddress.Loopback, port), Example = $"127.0.0.1:{port}", DefaultRule = $"`127.0.0.1:{port}`",
        };

    /// <summary>A value with a shape of its own, read by its own code (a nested mapping, a list of entries).</summary>
    public static SectionOption Nested(string name, string doc, string? example = null, Func<OptionSection>? section = null,
        OptionKind kind = OptionKind.Section, string? typeWord = null, string? rule = null, bool required = false) =>
        new(name, doc, section, kind) { Example = example, TypeWord = typeWord, DefaultRule = rule, Required = required };

    /// <summary>Declares that <paramref name="option"/> is useless without <paramref name="other"/> of the same section.</summary>
    public static T Needing<T>(this T option, string other) where T : ConfigOption
    {
        option.Needs = other;
        return option;
    }

    /// <summary>
    /// Declares that <paramref name="option"/> and <paramref name="other"/> of the same section cannot both be written,
    /// and <paramref name="why"/> ("both say where to send"): "X and Y why; use one of them", at X.
    /// </summary>
    public static T Excluding<T>(this T option, string other, string why) where T : ConfigOption
    {
        option.Excludes = (other, why);
        return option;
    }

    private static ValueOption<long> Number(string name, OptionKind kind, long @default, long min, long max, string doc, string? example, string? rule) =>
        new(name, kind, doc, (c, n, p) => ValueReader.Integer(c, n, p, min, max))
        {
            DefaultValue = @default, Default = Literal(@default), DefaultRule = rule, Example = example ?? Literal(@default),
        };

    private static string? Literal(double? value) => value?.ToString(CultureInfo.InvariantCulture);
}
