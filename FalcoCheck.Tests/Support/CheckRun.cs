using System.Text.Json;
using FalcoCheck.Runtime;

namespace FalcoCheck.Tests.Support;

/// <summary>One in-process <c>check</c> run and what it printed, parsed.</summary>
internal sealed record CheckRun(int Exit, string Output, string Errors)
{
    public static async Task<CheckRun> RunAsync(TestConfig config, CheckRunOptions options, Func<string, string?>? getEnv = null)
    {
        var (agent, check) = config.Load(getEnv);
        var output = new StringWriter();
        var errors = new StringWriter();
        var exit = await new CheckRunner(agent, check, output, errors, TimeProvider.System).RunAsync(options, CancellationToken.None);
        return new CheckRun(exit, output.ToString(), errors.ToString());
    }

    /// <summary>The JSON lines of a <c>--json</c> run.</summary>
    public List<JsonElement> Lines => ParseLines(Output);

    public List<JsonElement> Metrics => [.. Lines.Where(l => l.TryGetProperty("metric", out _))];

    public List<JsonElement> ServiceChecks => [.. Lines.Where(l => l.TryGetProperty("check", out _))];

    public List<JsonElement> Summaries => [.. Lines.Where(l => l.TryGetProperty("instance", out _))];

    public static List<JsonElement> ParseLines(string text) =>
        [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement.Clone())];

    public static string[] Tags(JsonElement line) => [.. line.GetProperty("tags").EnumerateArray().Select(t => t.GetString()!)];
}
