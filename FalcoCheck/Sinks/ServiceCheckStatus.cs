namespace FalcoCheck.Sinks;

/// <summary>Service check status, with Datadog's numeric codes.</summary>
internal enum ServiceCheckStatus
{
    Ok = 0,
    Warning = 1,
    Critical = 2,
    Unknown = 3,
}
