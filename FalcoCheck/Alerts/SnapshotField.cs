namespace FalcoCheck.Alerts;

/// <summary>One row of the snapshot field table (<see cref="SnapshotFields"/>).</summary>
/// <param name="Name">The Prometheus family name Falco's web server writes for the same metric.</param>
/// <param name="Label">For <see cref="SnapshotFieldKind.Info"/>: the label that carries the string.</param>
/// <param name="Scale">Multiplier from the snapshot's unit to Prometheus's (MiB to bytes, percent to ratio).</param>
internal readonly record struct SnapshotField(SnapshotFieldKind Kind, string Name, string? Label = null, double Scale = 1)
{
    public static readonly SnapshotField Skipped = new(SnapshotFieldKind.Skipped, string.Empty);
}
