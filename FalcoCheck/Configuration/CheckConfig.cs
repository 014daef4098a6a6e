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

    /// <summary>
    /// Datadog options accepted without effect here, each with what FalcoCheck does instead: printed by
    /// <c>validate</c> and logged at load, never an error (a Datadog conf.yaml loads as it is).
    /// </summary>
    public IReadOnlyList<ConfigError> Notices { get; init; } = [];

    /// <summary><c>logs:</c> entries of <c>type: file</c>: Falco alert files the daemon follows (<c>run</c>).</summary>
    public IReadOnlyList<LogFileInput> LogFiles { get; init; } = [];
}
