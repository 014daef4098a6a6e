namespace FalcoCheck.Alerts;

/// <summary>
/// Which alerts one log sink receives: at or above <see cref="MinimumPriority"/> (Falcosidekick's
/// <c>minimumpriority</c>), and, when a list is given, only those rules, rule tags or event sources. The intake
/// asks every sink's route before it queues, so a sink's queue and spool only ever hold what it will send.
/// </summary>
internal sealed record AlertRoute
{
    /// <summary>Everything: no filter (the default of every sink).</summary>
    public static readonly AlertRoute All = new();

    /// <summary>The lowest priority sent; Falco numbers Emergency 0 … Debug 7, so "at or above" is "at most".</summary>
    public FalcoPriority MinimumPriority { get; init; } = FalcoPriority.Debug;

    /// <summary>Rule names (exact); null sends every rule.</summary>
    public IReadOnlySet<string>? Rules { get; init; }

    /// <summary>Rule tags; an alert with any one of them is sent. Null sends every alert.</summary>
    public IReadOnlySet<string>? Tags { get; init; }

    /// <summary>Event sources (<c>syscall</c>, <c>k8s_audit</c>, plugin sources…); null sends every source.</summary>
    public IReadOnlySet<string>? Sources { get; init; }

    public bool IsAll => MinimumPriority == FalcoPriority.Debug && Rules is null && Tags is null && Sources is null;

    public bool Admits(NormalizedAlert alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        if (alert.Priority > MinimumPriority)
        {
            return false;
        }

        if (Rules is not null && !Rules.Contains(alert.Rule))
        {
            return false;
        }

        if (Sources is not null && (alert.Source is null || !Sources.Contains(alert.Source)))
        {
            return false;
        }

        return Tags is null || HasAnyTag(alert.RuleTags);
    }

    private bool HasAnyTag(IReadOnlyList<string> ruleTags)
    {
        foreach (string tag in ruleTags)
        {
            if (Tags!.Contains(tag))
            {
                return true;
            }
        }

        return false;
    }
}
