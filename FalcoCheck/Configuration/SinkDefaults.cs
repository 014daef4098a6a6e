namespace FalcoCheck.Configuration;

/// <summary>What a sink inherits from the agent file: Datadog's API key and site (with DD_API_KEY / DD_SITE applied).</summary>
internal sealed record SinkDefaults(Secret? ApiKey, string Site);
