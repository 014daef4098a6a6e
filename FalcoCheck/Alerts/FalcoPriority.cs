namespace FalcoCheck.Alerts;

/// <summary>
/// Falco's eight priorities, numbered as Falco numbers them (the <c>priority</c> label of
/// <c>rules_matches_total</c>: 0 Emergency … 7 Debug), which is also syslog's severity order.
/// </summary>
internal enum FalcoPriority : byte
{
    Emergency = 0,
    Alert = 1,
    Critical = 2,
    Error = 3,
    Warning = 4,
    Notice = 5,
    Informational = 6,
    Debug = 7,
}
