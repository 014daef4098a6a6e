using YamlDotNet.RepresentationModel;

namespace FalcoCheck.Configuration;

/// <summary>
/// An option whose value is text or made of text: a string, URL, path, secret, word from a list, list or map.
/// A required option records "required setting is missing" when absent.
/// </summary>
internal sealed class TextOption<T>(string name, OptionKind kind, string doc, Func<ConfigReadContext, YamlNode?, string, T?> read)
    : ConfigOption(name, kind, doc) where T : class
{
    public T? DefaultValue { get; init; }

    /// <summary>The value written (else the declared default); null when absent without default, or invalid.</summary>
    public T? Read(ConfigMapping map) => Required && !map.Require(Name) ? null : read(map.Context, map.Get(Name), map.PathOf(Name)) ?? DefaultValue;
}
