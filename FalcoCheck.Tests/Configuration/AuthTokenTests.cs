using FalcoCheck.Configuration;
using static FalcoCheck.Tests.Configuration.ConfigTestSupport;

namespace FalcoCheck.Tests.Configuration;

/// <summary><c>auth_token</c>: the file reader and header writer, and what is refused.</summary>
internal sealed class AuthTokenTests
{
    private const string Reader = "  reader:\n        type: file\n        path: /var/run/secrets/token";
    private const string Writer = "  writer:\n        type: header\n        name: Authorization";

    private static IEnumerable<TestCaseData> Errors()
    {
        // "auth_token:" is line 3, reader: 4, its type and path 5-6, writer: 7, its type 8, name 9, value 10.
        yield return Case("reader oauth is Datadog-only",
            Block("  reader:\n        type: oauth\n        url: https://idp/token", Writer),
            "conf.yaml:5:15: instances[0].auth_token.reader.type: 'oauth' is a Datadog option FalcoCheck does not support; expected one of file");
        yield return Case("writer missing", Block(Reader),
            "conf.yaml:4:7: instances[0].auth_token.writer: required setting is missing");
        yield return Case("reader path missing", Block("  reader:\n        type: file", Writer),
            "conf.yaml:5:9: instances[0].auth_token.reader.path: required setting is missing");
        yield return Case("reader type missing", Block("  reader:\n        path: /t", Writer),
            "conf.yaml:5:9: instances[0].auth_token.reader.type: required setting is missing; expected one of file");
        yield return Case("pattern with two groups", Block(Reader + "\n        pattern: (a)(b)", Writer),
            "conf.yaml:7:18: instances[0].auth_token.reader.pattern: must have exactly one capture group (the token), found 2");
        yield return Case("pattern that does not compile", Block(Reader + "\n        pattern: (a", Writer),
            "conf.yaml:7:18: instances[0].auth_token.reader.pattern: invalid regular expression: Invalid pattern '(a' at offset 2. Not enough )'s.");
        yield return Case("writer type body", Block(Reader, "  writer:\n        type: body\n        name: X"),
            "conf.yaml:8:15: instances[0].auth_token.writer.type: unknown writer type 'body'; expected one of header");
        yield return Case("writer value without placeholder", Block(Reader, Writer + "\n        value: Bearer TOKEN"),
            "conf.yaml:10:16: instances[0].auth_token.writer.value: must contain the placeholder '<TOKEN>' where the token goes");
        yield return Case("writer name not a header", Block(Reader, "  writer:\n        type: header\n        name: 'Auth: x'"),
            "conf.yaml:9:15: instances[0].auth_token.writer.name: not a valid HTTP header name (letters, digits and !#$%&'*+-.^_`|~ only)");
        yield return Case("auth_token a list", Instance("auth_token: [a]"),
            "conf.yaml:3:17: instances[0].auth_token: expected a mapping with reader and writer, got a list");
        yield return Case("reader key misspelt", Block(Reader + "\n        patern: x", Writer),
            "conf.yaml:7:9: instances[0].auth_token.reader.patern: unknown setting 'patern'; did you mean 'pattern'?");
        yield return Case("auth_token and basic auth both set the Authorization header",
            Instance("username: u", "password: p", "auth_token:", Reader, Writer),
            "conf.yaml:6:7: instances[0].auth_token: auth_token writes the Authorization header, which username and password also set; use one of them");
    }

    [TestCaseSource(nameof(Errors))]
    public void Reports_the_place_and_the_problem(string yaml, string[] expected)
    {
        using var dir = new TempDir();

        var config = LoadCheck(dir, yaml);

        Assert.That(Render(config.Errors, dir), Is.EqualTo(expected));
    }

    [Test]
    public void Reads_a_file_reader_and_a_header_writer()
    {
        var instance = InstanceOptionTests.LoadOne(Block(
            Reader + "\n        pattern: 'token=(\\S+)'",
            Writer + "\n        value: Bearer <TOKEN>"));

        Assert.That(instance.AuthToken, Is.EqualTo(new AuthTokenConfig(
            "/var/run/secrets/token", "token=(\\S+)", "Authorization", "Bearer <TOKEN>", "<TOKEN>")));
    }

    [Test]
    public void Custom_placeholder_and_relative_path()
    {
        using var dir = new TempDir();

        var config = LoadCheck(dir, Block("  reader:\n        type: file\n        path: token.txt",
            "  writer:\n        type: header\n        name: X-Token\n        value: 'k=@@'\n        placeholder: '@@'"));

        Assert.That(config.Instances.Single().AuthToken, Is.EqualTo(new AuthTokenConfig(
            Path.Combine(dir.Path, "token.txt"), null, "X-Token", "k=@@", "@@")));
    }

    [Test]
    public void The_token_file_is_not_read_at_load_time()
    {
        // The path does not exist: loading must still succeed, the scraper reads the file on each scrape.
        var instance = InstanceOptionTests.LoadOne(Block("  reader:\n        type: file\n        path: /nonexistent/token", Writer));

        Assert.That(instance.AuthToken!.ReaderPath, Is.EqualTo("/nonexistent/token"));
    }

    private static string Block(params string[] parts) => Instance(["auth_token:", .. parts]);

    private static TestCaseData Case(string name, string yaml, params string[] expected) =>
        new TestCaseData(yaml, expected).SetName(name);
}
