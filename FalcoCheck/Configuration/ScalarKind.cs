namespace FalcoCheck.Configuration;

/// <summary>What a scalar means under the YAML 1.2 core schema (https://yaml.org/spec/1.2.2/#1032-tag-resolution).</summary>
internal enum ScalarKind : byte
{
    String,
    Null,
    Bool,
    Integer,
    Float,
}
