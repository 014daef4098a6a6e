using FalcoCheck.Mapping;

namespace FalcoCheck.Alerts;

/// <summary>
/// The priority table: Falco's name ─► <see cref="FalcoPriority"/> ─► Datadog log status and the
/// <c>priority_name</c> tag. One row per level, all eight (issue 6, "Normalize").
/// </summary>
internal static class AlertPriorities
{
    /// <summary>
    /// Falco's priority as written in the alert. Matching ignores case, and <c>Info</c> is accepted because Falco's
    /// rule files accept it (falco_common.cpp, <c>priority_names</c> and its "info" alias).
    /// </summary>
    public static bool TryParse(ReadOnlySpan<char> text, out FalcoPriority priority)
    {
        priority = default;
        switch (text.Length)
        {
            case 9 when text.Equals("Emergency", StringComparison.OrdinalIgnoreCase):
                priority = FalcoPriority.Emergency;
                return true;
            case 5 when text.Equals("Alert", StringComparison.OrdinalIgnoreCase):
                priority = FalcoPriority.Alert;
                return true;
            case 8 when text.Equals("Critical", StringComparison.OrdinalIgnoreCase):
                priority = FalcoPriority.Critical;
                return true;
            case 5 when text.Equals("Error", StringComparison.OrdinalIgnoreCase):
                priority = FalcoPriority.Error;
                return true;
            case 7 when text.Equals("Warning", StringComparison.OrdinalIgnoreCase):
                priority = FalcoPriority.Warning;
                return true;
            case 6 when text.Equals("Notice", StringComparison.OrdinalIgnoreCase):
                priority = FalcoPriority.Notice;
                return true;
            case 13 when text.Equals("Informational", StringComparison.OrdinalIgnoreCase):
            case 4 when text.Equals("Info", StringComparison.OrdinalIgnoreCase):
                priority = FalcoPriority.Informational;
                return true;
            case 5 when text.Equals("Debug", StringComparison.OrdinalIgnoreCase):
                priority = FalcoPriority.Debug;
                return true;
            default:
                return false;
        }
    }

    /// <summary>
    /// The log status. NOTE: Datadog's own Falco pipeline (assets/logs/falco.yaml) maps only four priorities and
    /// sends Notice to warning; FalcoCheck maps all eight and keeps Notice as Datadog's <c>notice</c> status, so
    /// a Notice rule does not page like a Warning one. Emergency and Alert are reported as critical.
    /// </summary>
    public static string Status(FalcoPriority priority) => priority switch
    {
        FalcoPriority.Emergency or FalcoPriority.Alert or FalcoPriority.Critical => "critical",
        FalcoPriority.Error => "error",
        FalcoPriority.Warning => "warning",
        FalcoPriority.Notice => "notice",
        FalcoPriority.Informational => "info",
        _ => "debug",
    };

    /// <summary>The <c>priority_name</c> tag value: the same names as on <c>falco.rules.matches.count</c>.</summary>
    public static string TagValue(FalcoPriority priority) => RuleTags.PriorityName((int)priority);
}
