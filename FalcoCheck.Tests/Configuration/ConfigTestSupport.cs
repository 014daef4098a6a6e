using FalcoCheck.Configuration;

namespace FalcoCheck.Tests.Configuration;

/// <summary>Temp files, a fake environment and error rendering shared by the configuration tests.</summary>
internal static class ConfigTestSupport
{
    /// <summary>An environment with nothing set, so tests never depend on the machine's variables.</summary>
    public static Func<string, string?> NoEnv { get; } = _ => null;

    public static Func<string, string?> Env(params (string Name, string Value)[] variables)
    {
        var map = variables.ToDictionary(v => v.Name, v => v.Value, StringComparer.Ordinal);
        return name => map.GetValueOrDefault(name);
    }

    /// <summary>
    /// Renders errors with the temp directory cut off, so expectations read <c>conf.yaml:3:5: path: message</c>.
    /// </summary>
    public static string[] Render(IEnumerable<ConfigError> errors, TempDir dir) =>
        errors.Select(e => e.ToString().Replace(dir.Path + System.IO.Path.DirectorySeparatorChar, string.Empty, StringComparison.Ordinal)).ToArray();

    public static CheckConfig LoadCheck(TempDir dir, string yaml, Func<string, string?>? env = null) =>
        ConfigLoader.LoadCheck(dir.Write("conf.yaml", yaml), env ?? NoEnv);

    /// <summary>An instance list with one valid endpoint (line 2) followed by <paramref name="options"/> from line 3, column 5.</summary>
    public static string Instance(params string[] options) =>
        "instances:\n  - openmetrics_endpoint: http://localhost:8765/metrics\n"
        + string.Concat(options.Select(o => "    " + o + "\n"));

    /// <summary>The directory holding FalcoCheck.sln, found by walking up from the test binaries.</summary>
    public static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "FalcoCheck.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("FalcoCheck.sln not found above " + TestContext.CurrentContext.TestDirectory);
    }
}
