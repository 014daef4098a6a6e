namespace FalcoCheck.Configuration;

/// <summary>
/// <c>auth_token</c> with a file reader and a header writer, as in Datadog's HTTP wrapper. The file is read at
/// scrape time, not at load time, so a rotated token (Kubernetes service-account tokens) is picked up.
/// </summary>
internal sealed record AuthTokenConfig(
    string ReaderPath,
    string? ReaderPattern,
    string HeaderName,
    string ValueTemplate = AuthTokenConfig.DefaultPlaceholder,
    string Placeholder = AuthTokenConfig.DefaultPlaceholder)
{
    public const string DefaultPlaceholder = "<TOKEN>";
}
