namespace FalcoCheck.Tests.Parsing;

/// <summary>The real Falco payloads in samples/demo (copies of the shared fixtures; see samples/demo/SOURCE.md).</summary>
internal static class FixtureFiles
{
    public const string Falco039 = "falco-0.39.0_prometheus_all.prom.txt";
    public const string Falco040TwoSources = "falco-0.40.0_two-sources.prom.txt";

    public static string RepositoryRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "FalcoCheck.sln")))
                {
                    return dir.FullName;
                }
            }

            throw new InvalidOperationException("FalcoCheck.sln not found above " + TestContext.CurrentContext.TestDirectory);
        }
    }

    public static string Directory => Path.Combine(RepositoryRoot, "samples", "demo");

    /// <summary>File names, for TestCaseSource; the table is not empty, or the fixture tests would pass vacuously.</summary>
    public static IEnumerable<string> Names()
    {
        string[] names = System.IO.Directory.GetFiles(Directory, "*.prom.txt").Select(Path.GetFileName).OfType<string>().Order().ToArray();
        if (names.Length < 7)
        {
            throw new InvalidOperationException($"expected the 7 Falco fixtures in {Directory}, found {names.Length}");
        }

        return names;
    }

    public static byte[] Read(string name) => File.ReadAllBytes(Path.Combine(Directory, name));
}
