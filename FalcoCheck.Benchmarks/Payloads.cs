using FalcoCheck.Bench;

namespace FalcoCheck.Benchmarks;

/// <summary>
/// The three payloads of issue 7, built in memory: Datadog's test fixture (Falco 0.40.0, two event sources, from
/// samples/demo), and the seeded large and huge profiles of <see cref="PayloadGenerator"/> (the seed is fixed, so
/// every run benchmarks the same bytes).
/// </summary>
internal static class Payloads
{
    public const string Datadog = "datadog";
    public const string Large = "large";
    public const string Huge = "huge";

    public static IEnumerable<string> Names => [Datadog, Large, Huge];

    public static byte[] Load(string name) => name switch
    {
        Datadog => File.ReadAllBytes(Path.Combine(RepositoryRoot(), "samples", "demo", "falco-0.40.0_two-sources.prom.txt")),
        Large => PayloadGenerator.Render(PayloadProfile.Large),
        Huge => PayloadGenerator.Render(PayloadProfile.Huge),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "unknown payload"),
    };

    internal static string RepositoryRoot()
    {
        // BenchmarkDotNet runs the benchmarks from a generated project under bin/, so search upwards from both.
        foreach (var start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "FalcoCheck.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new InvalidOperationException("FalcoCheck.sln not found above " + AppContext.BaseDirectory);
    }
}
