namespace FalcoCheck.Fuzz;

/// <summary>Runs saved inputs (a crash folder, the seed corpus) through a target without afl-fuzz.</summary>
internal static class Replay
{
    /// <summary>Returns 0 when every input passed, 1 when at least one threw.</summary>
    public static int Run(Action<byte[]> target, IEnumerable<string> paths, TextWriter output)
    {
        int inputs = 0;
        int failures = 0;
        foreach (string file in Files(paths))
        {
            inputs++;
            try
            {
                target(File.ReadAllBytes(file));
            }
#pragma warning disable CA1031 // Reporting every exception, of any type, is the point of a replay.
            catch (Exception e)
#pragma warning restore CA1031
            {
                failures++;
                output.WriteLine($"{file}: {e.GetType().FullName}: {e.Message}");
                output.WriteLine(e.StackTrace);
            }
        }

        output.WriteLine($"{inputs} input(s), {failures} failure(s)");
        return failures == 0 ? 0 : 1;
    }

    private static IEnumerable<string> Files(IEnumerable<string> paths)
    {
        foreach (string path in paths)
        {
            if (Directory.Exists(path))
            {
                // AFL's crash folders hold a README.txt next to the inputs.
                foreach (string file in Directory.GetFiles(path).Where(f => !f.EndsWith("README.txt", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
                {
                    yield return file;
                }
            }
            else
            {
                yield return path;
            }
        }
    }
}
