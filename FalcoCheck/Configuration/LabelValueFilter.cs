namespace FalcoCheck.Configuration;

/// <summary>An <c>exclude_metrics_by_labels</c> entry: every value (<c>worker: true</c>) or the listed ones.</summary>
internal sealed record LabelValueFilter(bool AllValues, IReadOnlyList<string> Values);
