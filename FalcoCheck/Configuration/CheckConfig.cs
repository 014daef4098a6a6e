namespace FalcoCheck.Configuration;

/// <summary>
/// <c>conf.d/falco.d/conf.yaml</c> as loaded. <see cref="Instances"/> holds only the instances without errors;
/// every error (file-level and per instance) is in <see cref="Errors"/>, so one bad instance never stops the
/// others from running.
/// </summary>
internal sealed record CheckConfig(
    string SourceFile,
    InitConfig Init,
    IReadOnlyList<InstanceConfig> Instances,
    IReadOnlyList<ConfigError> Errors,
    int DeclaredInstanceCount)
{
    public bool IsValid => Errors.Count == 0;
}
