namespace FalcoCheck.Configuration;

/// <summary>
/// Thrown when a configuration cannot be used at all (the agent file). Carries every error found, not just the
/// first, so one run of <c>falcocheck validate</c> shows the whole list.
/// </summary>
internal sealed class ConfigException : Exception
{
    public ConfigException(IReadOnlyList<ConfigError> errors)
        : base(Render(errors))
    {
        Errors = errors;
    }

    public IReadOnlyList<ConfigError> Errors { get; }

    private static string Render(IReadOnlyList<ConfigError> errors) =>
        errors.Count == 0 ? "invalid configuration" : string.Join(Environment.NewLine, errors);
}
