using FalcoCheck.Tests.Support;

namespace FalcoCheck.Tests.Sinks;

/// <summary>
/// Checked-in expected payloads under FalcoCheck.Tests/Sinks/Golden. A difference fails the test; the files are
/// rewritten only when FALCOCHECK_UPDATE_GOLDEN=1 is set, never silently.
/// </summary>
internal static class GoldenFile
{
    public static void Assert(string name, ReadOnlySpan<byte> actual)
    {
        string path = Path.Combine(RepoPaths.Root, "FalcoCheck.Tests", "Sinks", "Golden", name);
        if (Environment.GetEnvironmentVariable("FALCOCHECK_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllBytes(path, actual.ToArray());
            return;
        }

        NUnit.Framework.Assert.That(File.Exists(path), Is.True, $"{name} is missing; run the tests once with FALCOCHECK_UPDATE_GOLDEN=1 and review the file");
        NUnit.Framework.Assert.That(actual.ToArray(), Is.EqualTo(File.ReadAllBytes(path)), $"{name} differs; if the change is intended, regenerate with FALCOCHECK_UPDATE_GOLDEN=1 and review the diff");
    }
}
