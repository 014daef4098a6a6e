using System.CommandLine;
using FalcoCheck.Configuration;

namespace FalcoCheck.Cli;

/// <summary>
/// <c>falcocheck config example [SECTION]</c>: prints the documented example of one option table (or of all), from
/// the same declarations the reader uses; <c>--markdown</c> prints the README's table instead.
/// </summary>
internal static class ConfigCommand
{
    public static Command Create()
    {
        var section = new Argument<string?>("section")
        {
            Description = "init_config, instances, a sink such as sinks.datadog, … (default: all)",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var markdown = new Option<bool>("--markdown") { Description = "Print the option table as Markdown (the README's tables)" };
        var example = new Command("example", "Print the documented example of every option of a section") { section, markdown };
        example.SetAction(parse =>
        {
            string? name = parse.GetValue(section);
            IReadOnlyList<OptionSection> chosen = name is null ? ConfigSections.All : ConfigSections.Find(name) is { } one ? [one] : [];
            if (chosen.Count == 0)
            {
                var names = ConfigSections.All.Select(s => s.Name).ToList();
                Console.Error.WriteLine($"falcocheck: unknown section '{name}'" + KeySuggester.DidYouMean(name!, names)
                    + $"; sections: {string.Join(", ", names)}");
                return Runtime.CheckRunner.ExitConfigError;
            }

            bool asMarkdown = parse.GetValue(markdown);
            Console.Out.Write(string.Join('\n', chosen.Select(s => asMarkdown ? $"### {s.Name}\n\n{OptionDocs.Markdown(s)}" : OptionDocs.Example(s))));
            return Runtime.CheckRunner.ExitOk;
        });
        return new Command("config", "Show the configuration's options") { example };
    }
}
