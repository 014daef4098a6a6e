namespace FalcoCheck.Configuration;

/// <summary>
/// One problem in a configuration file, rendered as <c>file:line:column: setting.path: what was expected</c>
/// (CONVENTIONS 16). Messages never contain secret values: readers describe a secret's type, never its text.
/// </summary>
internal sealed record ConfigError(SourcePosition Position, string SettingPath, string Message)
{
    // NOTE: errors about the file as a whole (not found, broken YAML) have no setting, so the empty path is
    // left out instead of printing "file:1:1: : message".
    public override string ToString() =>
        SettingPath.Length == 0 ? $"{Position}: {Message}" : $"{Position}: {SettingPath}: {Message}";

    /// <summary>The same, marked as a notice: something to know, which does not stop anything from loading.</summary>
    public string ToNotice() => $"{Position}: {SettingPath}: notice: {Message}";
}
