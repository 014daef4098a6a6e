namespace FalcoCheck.Mapping;

/// <summary>One value for one context, as scraped (counts are still cumulative here).</summary>
internal readonly record struct MappedSample(SeriesContext Context, double Value);
