namespace FalcoCheck.Configuration;

/// <summary>Appends each batch to a file. <see cref="Path"/> is absolute, resolved against the config file's directory.</summary>
internal sealed record FileSinkConfig(SourcePosition Position, string Path) : SinkConfig(TypeName, Position)
{
    public const string TypeName = "file";
}
