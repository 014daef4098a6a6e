namespace FalcoCheck.Configuration;

/// <summary>
/// One option's declaration: its YAML name, kind, default (a value, or the rule that derives it from other
/// options), one line of doc and an example. The reader reads it through the typed subclasses; the unknown-setting
/// check, <c>falcocheck config example</c>, conf.yaml.example and the README tables all come from the same object.
/// </summary>
internal abstract class ConfigOption(string name, OptionKind kind, string doc)
{
    public string Name { get; } = name;

    public OptionKind Kind { get; } = kind;

    /// <summary>One line: the README table's meaning and the example's comment.</summary>
    public string Doc { get; } = doc;

    public bool Required { get; init; }

    /// <summary>
    /// The option of the same section this one is useless without (<c>username</c> needs <c>password</c>): checked when
    /// the section is opened, "X is required when Y is set". Set by <see cref="Declare.Needing"/>.
    /// </summary>
    public string? Needs { get; internal set; }

    /// <summary>The option of the same section that cannot be written with this one, and why; set by <see cref="Declare.Excluding"/>.</summary>
    public (string Other, string Why)? Excludes { get; internal set; }

    /// <summary>The constant default as YAML text ("10", "true"), or null when there is none.</summary>
    public string? Default { get; init; }

    /// <summary>
    /// How the default is found when it depends on other values (the README's default column), such as
    /// "`timeout`" for connect_timeout; such a default is never checked against a written value.
    /// </summary>
    public string? DefaultRule { get; init; }

    /// <summary>
    /// The options of the same section this default follows (connect_timeout follows timeout). A test writes each of
    /// them alone at its smallest and largest value: the derived default must adapt, never make the file invalid.
    /// </summary>
    public IReadOnlyList<string> DerivedFrom { get; init; } = [];

    /// <summary>The YAML value shown in examples; a mapping or list starts with a line break.</summary>
    public string? Example { get; init; }

    /// <summary>Datadog's <c>@param</c> type word, when the kind's own is not right (extra_metrics' list of either).</summary>
    public string? TypeWord { get; init; }

    /// <summary>The type word of conf.yaml.example's <c>## @param name - type - …</c> lines.</summary>
    public string TypeName => TypeWord ?? Kind switch
    {
        OptionKind.Bool => "boolean",
        OptionKind.Seconds => "number",
        OptionKind.Integer or OptionKind.Bytes => "integer",
        OptionKind.List => "list of strings",
        OptionKind.Map or OptionKind.Section => "mapping",
        _ => "string",
    };

    /// <summary>The default column of the README: the rule, the constant, or "required".</summary>
    public string DefaultText => DefaultRule ?? Default ?? (Required ? "required" : string.Empty);

    public override string ToString() => Name;
}
