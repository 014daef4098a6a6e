namespace FalcoCheck.Configuration;

/// <summary>Prints each batch to standard output: a table for people, or one JSON object per line for tools.</summary>
internal sealed record ConsoleSinkConfig(SourcePosition Position, ConsoleFormat Format = ConsoleFormat.Table)
    : SinkConfig(TypeName, Position)
{
    public const string TypeName = "console";
}
