using YamlDotNet.RepresentationModel;

namespace FalcoCheck.Configuration;

/// <summary>An option whose value is a number, a duration or a boolean, read with its bounds and default.</summary>
internal sealed class ValueOption<T>(string name, OptionKind kind, string doc, Func<ConfigReadContext, YamlNode?, string, T?> read)
    : ConfigOption(name, kind, doc) where T : struct
{
    public T? DefaultValue { get; init; }

    /// <summary>The value written, or null when absent, YAML null or invalid (the error is recorded).</summary>
    public T? Written(ConfigMapping map) => read(map.Context, map.Get(Name), map.PathOf(Name));

    /// <summary>The value written, else the declared default.</summary>
    public T Read(ConfigMapping map) => Written(map) ?? DefaultValue.GetValueOrDefault();
}
