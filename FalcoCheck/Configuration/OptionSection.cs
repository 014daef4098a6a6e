using YamlDotNet.RepresentationModel;

namespace FalcoCheck.Configuration;

/// <summary>
/// The option table of one mapping (an instance, <c>init_config</c>, a sink type…): its keys are what the
/// unknown-setting check accepts and suggests from, and its options, in order, are its documented example. The options
/// may be given as a function, run on first use: a sink type's table is built only when a file has such a sink.
/// </summary>
internal sealed class OptionSection(string name, string what, Func<IReadOnlyList<ConfigOption>> options)
{
    public OptionSection(string name, string what, IReadOnlyList<ConfigOption> options)
        : this(name, what, () => options)
    {
    }

    /// <summary>Where the section sits, as <c>falcocheck config example</c> names it (<c>instances</c>, <c>sinks.datadog</c>).</summary>
    public string Name { get; } = name;

    /// <summary>What is expected when the value is not a mapping ("a mapping with openmetrics_endpoint").</summary>
    public string What { get; } = what;

    public IReadOnlyList<ConfigOption> Options => field ??= options();

    public IReadOnlyList<string> Keys => field ??= [.. Options.Select(o => o.Name).Distinct(StringComparer.Ordinal)];

    /// <summary>The <c>type</c> that chooses this table in a list of typed mappings (a sink's); known without building it.</summary>
    public string? Type { get; init; }

    /// <summary>Datadog keys accepted here without effect, each with what FalcoCheck does instead (notices).</summary>
    public IReadOnlyDictionary<string, string>? DatadogOnly { get; init; }

    /// <summary>One line saying what the section is, printed above its example.</summary>
    public string? Doc { get; init; }

    /// <summary>True for a list of such mappings (<c>instances</c>): the example starts its first key with "- ".</summary>
    public bool IsList { get; init; }

    /// <summary>True for a file's root (falcocheck.yaml): its example has no section line and no indentation.</summary>
    public bool TopLevel { get; init; }

    public ConfigMapping? Open(ConfigReadContext ctx, YamlNode? node, string path, SourcePosition fallback) =>
        ConfigMapping.Open(ctx, node, path, fallback, this);

    public ConfigOption? Find(string key) => Options.FirstOrDefault(o => string.Equals(o.Name, key, StringComparison.Ordinal));
}
