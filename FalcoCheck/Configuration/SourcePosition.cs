namespace FalcoCheck.Configuration;

/// <summary>A place in a configuration file: 1-based line and column, as editors and compilers count them.</summary>
internal sealed record SourcePosition(string File, int Line, int Column)
{
    public override string ToString() => $"{File}:{Line}:{Column}";
}
