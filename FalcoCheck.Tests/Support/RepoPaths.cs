namespace FalcoCheck.Tests.Support;

/// <summary>Finds files of the repository from the test's output folder.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Demo => Path.Combine(Root, "samples", "demo");

    /// <summary>Falco 0.40.0 with two event sources: Datadog's test fixture.</summary>
    public static string DatadogFixture => Path.Combine(Demo, "falco-0.40.0_two-sources.prom.txt");

    public static string MetadataCsv => Path.Combine(Root, "samples", "reference", "datadog", "metadata.csv");

    public static IEnumerable<string> FalcoFixtures() =>
        Directory.GetFiles(Demo, "*.prom.txt").Order(StringComparer.Ordinal);

    private static string FindRoot()
    {
        var directory = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "FalcoCheck.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("FalcoCheck.sln not found above the test folder");
    }
}
