namespace FalcoCheck.Sinks;

/// <summary>A service check such as <c>falco.openmetrics.health</c>.</summary>
/// <param name="Timestamp">Unix seconds.</param>
internal sealed record ServiceCheck(string Name, ServiceCheckStatus Status, string Message, long Timestamp, string Host, string[] Tags)
{
    public const string HealthName = "falco.openmetrics.health";
}
