namespace FalcoCheck.Configuration;

/// <summary>
/// An option whose value has a shape of its own (a nested mapping such as <c>proxy</c>, or a list of entries
/// such as <c>extra_metrics</c>), read by its own code; <see cref="Section"/> declares the nested keys when they
/// are fixed.
/// </summary>
internal sealed class SectionOption(string name, string doc, Func<OptionSection>? section = null, OptionKind kind = OptionKind.Section)
    : ConfigOption(name, kind, doc)
{
    /// <summary>Built on first use, so a file without this key never builds the nested table (a one-shot check's start-up).</summary>
    public OptionSection? Section => field ??= section?.Invoke();

    /// <summary>Opens the nested mapping with the nested section's keys; null after an error.</summary>
    public ConfigMapping? Open(ConfigMapping parent) =>
        Section!.Open(parent.Context, parent.Get(Name), parent.PathOf(Name), parent.PositionOf(Name));
}
