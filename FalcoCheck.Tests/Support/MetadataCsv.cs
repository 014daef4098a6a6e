namespace FalcoCheck.Tests.Support;

/// <summary>The documented metric list (Datadog's metadata.csv): name → type (gauge or count) and unit.</summary>
internal static class MetadataCsv
{
    public static IReadOnlyDictionary<string, (string Type, string Unit)> Load()
    {
        var metrics = new Dictionary<string, (string, string)>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(RepoPaths.MetadataCsv).Skip(1))
        {
            if (line.Length == 0)
            {
                continue;
            }

            // The first four columns never contain commas.
            var columns = line.Split(',');
            metrics.Add(columns[0], (columns[1], columns[3]));
        }

        return metrics;
    }
}
