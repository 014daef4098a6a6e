using System.Diagnostics;

namespace FalcoCheck.Configuration;

/// <summary>
/// A password, API key or token. <see cref="ToString"/> is masked so a secret cannot leak through a record's
/// generated <c>ToString</c>, a log template or an error message; only <see cref="Reveal"/> gives the text, and
/// only the code that puts it on the wire should call it.
/// </summary>
[DebuggerDisplay("********")]
internal sealed class Secret : IEquatable<Secret>
{
    public const string Mask = "********";

    private readonly string _value;

    public Secret(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        _value = value;
    }

    public string Reveal() => _value;

    public override string ToString() => Mask;

    // Value equality so that two loads of the same file compare equal (records compare their members).
    public bool Equals(Secret? other) => other is not null && string.Equals(_value, other._value, StringComparison.Ordinal);

    public override bool Equals(object? obj) => obj is Secret other && Equals(other);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(_value);
}
