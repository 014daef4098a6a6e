namespace FalcoCheck.Configuration;

/// <summary>
/// One entry of the agent's <c>sinks:</c> list. Each backend adds a derived record with its own options
/// (CONVENTIONS 9); <see cref="SinkConfigReader"/> picks the record by <see cref="Type"/>.
/// </summary>
internal abstract record SinkConfig(string Type, SourcePosition Position);
