using System.Text;
using FalcoCheck.Configuration;
using static FalcoCheck.Tests.Configuration.ConfigTestSupport;

namespace FalcoCheck.Tests.Configuration;

/// <summary>
/// The config fuzz target's dictionary (fuzz/config.dict) gives AFL every option name the tables declare, so a new
/// option is fuzzed from the day it is declared. Below its marker line the file is generated from the tables; run
/// with <c>FALCOCHECK_UPDATE_FUZZ_DICT=1</c> to rewrite that part after adding an option.
/// </summary>
internal sealed class FuzzDictionaryTests
{
    private const string Marker = "# Generated from the option tables (FuzzDictionaryTests); do not edit below this line.";

    private static string DictionaryPath => Path.Combine(RepoRoot(), "fuzz", "config.dict");

    [Test]
    public void Config_dictionary_has_every_declared_option()
    {
        var text = File.ReadAllText(DictionaryPath);
        int at = text.IndexOf(Marker, StringComparison.Ordinal);
        string handWritten = at < 0 ? text.TrimEnd() + "\n\n" : text[..at];
        string expected = handWritten + Marker + "\n" + Generated();
        if (Environment.GetEnvironmentVariable("FALCOCHECK_UPDATE_FUZZ_DICT") == "1")
        {
            File.WriteAllText(DictionaryPath, expected);
        }

        Assert.That(at, Is.GreaterThanOrEqualTo(0), $"{DictionaryPath} has no '{Marker}' line; run this test with FALCOCHECK_UPDATE_FUZZ_DICT=1");
        Assert.That(text, Is.EqualTo(expected),
            $"{DictionaryPath} differs from the option tables; run this test with FALCOCHECK_UPDATE_FUZZ_DICT=1 and commit the file");
    }

    [Test]
    public void Generated_entries_are_valid_afl_lines_for_every_section()
    {
        var lines = Generated().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in lines)
        {
            int eq = line.IndexOf('=', StringComparison.Ordinal);
            Assert.That(eq, Is.GreaterThan(0), line);
            Assert.That(line[..eq].All(c => char.IsAsciiLetterOrDigit(c) || c == '_'), Is.True, $"AFL keyword names are [A-Za-z0-9_]: {line}");
            Assert.That(line[(eq + 1)..], Does.StartWith("\"").And.EndWith("\""), line);
            Assert.That(names.Add(line[..eq]), Is.True, $"duplicate keyword name: {line}");
        }

        // Every option of every section is there, e.g. a sink's option and an instance's.
        foreach (var section in ConfigSections.All)
        {
            foreach (var option in section.Options)
            {
                Assert.That(lines, Has.Some.Contains($"\"{option.Name}: \""), $"{section.Name}.{option.Name}");
            }
        }
    }

    /// <summary>One <c>key_NAME="NAME: "</c> per distinct option name, then each sink's <c>type: NAME</c>, sorted.</summary>
    private static string Generated()
    {
        var keys = new SortedSet<string>(StringComparer.Ordinal);
        var types = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var section in ConfigSections.All)
        {
            foreach (var option in section.Options)
            {
                keys.Add(option.Name);
                if (option.Name == "type" && option.Example is { } type)
                {
                    types.Add(type);
                }
            }
        }

        var text = new StringBuilder();
        foreach (var key in keys)
        {
            text.Append("key_").Append(Keyword(key)).Append("=\"").Append(key).Append(": \"\n");
        }

        foreach (var type in types)
        {
            text.Append("type_").Append(Keyword(type)).Append("=\"type: ").Append(type).Append("\"\n");
        }

        return text.ToString();
    }

    private static string Keyword(string name) => new([.. name.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_')]);
}
