namespace FalcoCheck.Configuration;

/// <summary>What the sinks and the <c>alerts:</c> section inherit from the rest of the agent file.</summary>
internal sealed record AgentDefaults(Secret? ApiKey, string Site, string StateDir);
