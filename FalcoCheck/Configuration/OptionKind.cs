namespace FalcoCheck.Configuration;

/// <summary>What an option's value is: decides how it is read and the type word its example and docs show.</summary>
internal enum OptionKind : byte
{
    String,
    Url,
    Path,
    Secret,
    Enum,
    Bool,
    Seconds,
    Integer,
    Bytes,
    List,
    Map,
    Section,
}
