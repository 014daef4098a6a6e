using System.Text;

namespace FalcoCheck.Configuration;

/// <summary>
/// Writes a section's documentation from its table: the commented YAML example (conf.yaml.example's
/// <c>## @param</c> layout, printed by <c>falcocheck config example</c>) and the README's option table. Tests compare
/// the shipped files with these, so neither can drift from what the reader accepts.
/// </summary>
internal static class OptionDocs
{
    private const string Indent = "    ";

    /// <summary><c>## @param name - type - required|optional - default: X</c>, as Datadog's spec tooling writes it.</summary>
    public static string ParamLine(ConfigOption option) =>
        $"## @param {option.Name} - {option.TypeName} - {(option.Required ? "required" : "optional")}"
        + (option.Default is { } value ? $" - default: {value}" : string.Empty);

    /// <summary>The example of one section: a header line, then per option its @param line, doc and example.</summary>
    public static string Example(OptionSection section)
    {
        var text = new StringBuilder();
        if (section.Doc is not null)
        {
            text.Append("## ").Append(section.Doc).Append('\n');
        }

        string indent = section.TopLevel ? string.Empty : Indent;
        if (!section.TopLevel)
        {
            // A nested section is printed as the key it sits under (sinks.datadog as an entry of sinks:), named above it.
            string[] path = section.Name.Split('.');
            if (path.Length > 1)
            {
                text.Append("## ").Append(section.Name).Append('\n');
            }

            text.Append(section.IsList && path.Length > 1 ? path[^2] : path[^1]).Append(":\n");
        }

        bool first = true;
        foreach (ConfigOption option in section.Options)
        {
            text.Append('\n').Append(indent).Append(ParamLine(option)).Append('\n')
                .Append(indent).Append("## ").Append(option.Doc).Append('\n')
                .Append(indent).Append("#\n");
            foreach (string line in ExampleLines(option))
            {
                // Required options are written out (the file must have them); the rest stay commented.
                string lead = !option.Required ? indent + "# " : section.IsList && first ? "  - " : indent;
                text.Append(lead).Append(line).Append('\n');
            }

            first &= !option.Required;
        }

        return text.ToString();
    }

    /// <summary>The <c>name: value</c> lines of an option's example, without indentation or comment marks.</summary>
    public static IReadOnlyList<string> ExampleLines(ConfigOption option)
    {
        string example = option.Example ?? $"<{option.Name.ToUpperInvariant()}>";
        string[] lines = example.Split('\n');
        lines[0] = lines[0].Length == 0 ? option.Name + ":" : $"{option.Name}: {lines[0]}";
        return lines;
    }

    /// <summary>The README table: one row per option, <c>| `name` | default | meaning |</c>.</summary>
    public static string Markdown(OptionSection section) => "| option | default | meaning |\n|---|---|---|\n" + Rows(section);

    /// <summary>The table's rows; <paramref name="prefix"/> names a nested section's options (<c>status.</c>).</summary>
    public static string Rows(OptionSection section, string prefix = "")
    {
        var text = new StringBuilder();
        foreach (ConfigOption option in section.Options)
        {
            string value = option.DefaultText.Length == 0 ? string.Empty : option.DefaultText + " ";
            text.Append("| `").Append(prefix).Append(option.Name).Append("` | ").Append(value).Append("| ").Append(option.Doc).Append(" |\n");
        }

        return text.ToString();
    }
}
