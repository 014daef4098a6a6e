using FalcoCheck.Configuration;

namespace FalcoCheck.Tests.Configuration;

/// <summary>The small pieces: suggestions, endpoint redaction, YAML 1.2 scalar kinds, error rendering.</summary>
internal sealed class HelperTests
{
    private static readonly string[] Keys = ["timeout", "tags", "tls_verify", "tls_cert", "service", "openmetrics_endpoint"];

    private static IEnumerable<TestCaseData> Suggestions()
    {
        yield return new TestCaseData("timout", "timeout").SetName("one deletion");
        yield return new TestCaseData("tiemout", "timeout").SetName("transposition");
        yield return new TestCaseData("Timeout", "timeout").SetName("case");
        yield return new TestCaseData("tag", "tags").SetName("one insertion");
        yield return new TestCaseData("openmetrics", "openmetrics_endpoint").SetName("prefix of a key");
        yield return new TestCaseData("service_name", "service").SetName("key is a prefix");
        yield return new TestCaseData("ab", null).SetName("too short to guess");
        yield return new TestCaseData("frobnicate", null).SetName("nothing near");
    }

    [TestCaseSource(nameof(Suggestions))]
    public void Suggests(string input, string? expected) => Assert.That(KeySuggester.Suggest(input, Keys), Is.EqualTo(expected));

    private static IEnumerable<TestCaseData> Redactions()
    {
        yield return new TestCaseData("http://localhost:8765/metrics", "http://localhost:8765/metrics").SetName("plain");
        yield return new TestCaseData("https://user:pw@falco:8765/metrics", "https://falco:8765/metrics").SetName("user-info dropped");
        yield return new TestCaseData("http://falco:8765/metrics?token=x#frag", "http://falco:8765/metrics").SetName("query and fragment dropped");
        yield return new TestCaseData("https://falco/metrics", "https://falco/metrics").SetName("default port not added");
        yield return new TestCaseData("http://[::1]:8765/metrics", "http://[::1]:8765/metrics").SetName("IPv6");
    }

    [TestCaseSource(nameof(Redactions))]
    public void Redacts(string uri, string expected) => Assert.That(EndpointRedactor.Redact(new Uri(uri)), Is.EqualTo(expected));

    [Test]
    public void Redacts_relative_uris_too() =>
        Assert.That(EndpointRedactor.Redact(new Uri("/metrics?token=x", UriKind.Relative)), Is.EqualTo("/metrics"));

    private static IEnumerable<TestCaseData> Kinds()
    {
        foreach (string text in new[] { "", "~", "null", "Null", "NULL" })
        {
            yield return new TestCaseData(text, ScalarKind.Null).SetName($"null '{text}'");
        }

        foreach (string text in new[] { "true", "False", "TRUE" })
        {
            yield return new TestCaseData(text, ScalarKind.Bool).SetName($"bool '{text}'");
        }

        foreach (string text in new[] { "yes", "no", "on", "off", "y", "NO" })
        {
            yield return new TestCaseData(text, ScalarKind.String).SetName($"YAML 1.1 word '{text}' is a string");
        }

        foreach (string text in new[] { "0", "-12", "+3", "0x1F", "0o17" })
        {
            yield return new TestCaseData(text, ScalarKind.Integer).SetName($"integer '{text}'");
        }

        foreach (string text in new[] { "2.5", ".5", "1e3", "-1.5E-2", ".inf", ".NaN", "5." })
        {
            yield return new TestCaseData(text, ScalarKind.Float).SetName($"float '{text}'");
        }

        foreach (string text in new[] { "1.2.3", "1e", "e3", ".", "10s", "0x" })
        {
            yield return new TestCaseData(text, ScalarKind.String).SetName($"not a number '{text}'");
        }
    }

    [TestCaseSource(nameof(Kinds))]
    public void Classifies_YAML_1_2_core_scalars(string text, ScalarKind expected) =>
        Assert.That(YamlScalars.ClassifyText(text), Is.EqualTo(expected));

    [Test]
    public void Error_renders_file_line_column_path_message()
    {
        var error = new ConfigError(new SourcePosition("conf.yaml", 3, 7), "instances[1].tags[3]", "expected a string");

        Assert.Multiple(() =>
        {
            Assert.That(error.Position.ToString(), Is.EqualTo("conf.yaml:3:7"));
            Assert.That(error.ToString(), Is.EqualTo("conf.yaml:3:7: instances[1].tags[3]: expected a string"));
            Assert.That(new ConfigError(new SourcePosition("f", 1, 1), string.Empty, "file not found").ToString(), Is.EqualTo("f:1:1: file not found"));
        });
    }

    [Test]
    public void Exception_lists_every_error()
    {
        ConfigError[] errors =
        [
            new(new SourcePosition("a", 1, 2), "x", "bad"),
            new(new SourcePosition("a", 3, 4), "y", "worse"),
        ];

        var e = new ConfigException(errors);

        Assert.Multiple(() =>
        {
            Assert.That(e.Errors, Is.EqualTo(errors));
            Assert.That(e.Message, Is.EqualTo("a:1:2: x: bad" + Environment.NewLine + "a:3:4: y: worse"));
        });
    }
}
