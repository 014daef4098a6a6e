using FalcoCheck.Alerts;

namespace FalcoCheck.Configuration;

/// <summary>
/// One entry of the agent's <c>sinks:</c> list. Each backend adds a derived record with its own options
/// (CONVENTIONS 9); <see cref="SinkConfigReader"/> picks the record by <see cref="Type"/>.
/// </summary>
internal abstract record SinkConfig(string Type, SourcePosition Position)
{
    /// <summary>Which alerts this sink receives; read for every entry of <c>alerts.sinks</c> (metrics sinks leave it <see cref="AlertRoute.All"/>).</summary>
    public AlertRoute Route { get; init; } = AlertRoute.All;
}
