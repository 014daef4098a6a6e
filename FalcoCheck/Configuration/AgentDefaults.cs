namespace FalcoCheck.Configuration;

/// <summary>What the <c>alerts:</c> section inherits from the rest of the agent file.</summary>
internal sealed record AgentDefaults(Secret? ApiKey, string Site, string StateDir);
