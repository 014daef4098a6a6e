using FalcoCheck.Sinks.Datadog;

namespace FalcoCheck.Tests.Sinks;

/// <summary>Tag normalization, with cases from the Datadog Agent's own normalization tests and Falco's tags.</summary>
internal sealed class DatadogTagsTests
{
    private static IEnumerable<TestCaseData> Cases()
    {
        yield return Case("already normal", "env:prod", "env:prod");
        yield return Case("lower case", "TestCAPSandSuch", "testcapsandsuch");
        yield return Case("spaces become one underscore", "rule_name:Terminal shell in container", "rule_name:terminal_shell_in_container");
        yield return Case("leading hash trimmed", "#test_starting_hash", "test_starting_hash");
        yield return Case("weird characters collapse", "Test Conversion Of Weird !@#$%^&**() Characters", "test_conversion_of_weird_characters");
        yield return Case("leading non-letters trimmed", "$#weird_starting", "weird_starting");
        yield return Case("leading digit trimmed", "1love", "love");
        yield return Case("leading underscore trimmed", "_foo", "foo");
        yield return Case("colons kept, also first", ":::test", ":::test");
        yield return Case("digits after the first letter kept", "allowed:c0l0ns", "allowed:c0l0ns");
        yield return Case("contiguous underscores", "contiguous_____underscores", "contiguous_underscores");
        yield return Case("trailing underscore removed", "foo_", "foo");
        yield return Case("trailing spaces removed", " spaces   ", "spaces");
        yield return Case("unicode letters kept", "ünicöde:metäl", "ünicöde:metäl");
        yield return Case("emoji become underscores", "Data🐨dog🐶 繋がっ⛰てて", "data_dog_繋がっ_てて");
        yield return Case("URL endpoint unchanged", "endpoint:http://127.0.0.1:8765/metrics", "endpoint:http://127.0.0.1:8765/metrics");
        yield return Case("empty", "", "");
        yield return Case("nothing valid", "123", "");
        yield return Case("cut at 200 characters", "a" + new string('b', 300), "a" + new string('b', 199));
    }

    [TestCaseSource(nameof(Cases))]
    public void Normalizes_as_Datadog_stores_tags(string tag, string expected) => Assert.That(DatadogTags.Normalize(tag), Is.EqualTo(expected));

    [Test]
    public void A_tag_array_is_normalized_once_and_drops_empty_tags()
    {
        string[] tags = ["Team:Blue", "123", "env:prod"];

        var first = DatadogTags.Normalize(tags);

        Assert.That(first, Is.EqualTo(new[] { "team:blue", "env:prod" }));
        Assert.That(DatadogTags.Normalize(tags), Is.SameAs(first));
    }

    private static TestCaseData Case(string name, string tag, string expected) => new TestCaseData(tag, expected).SetName(name);
}
