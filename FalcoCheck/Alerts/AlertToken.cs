using System.Security.Cryptography;
using System.Text;
using FalcoCheck.Configuration;

namespace FalcoCheck.Alerts;

/// <summary>
/// The receiver's shared token. Falco's <c>http_output</c> cannot add headers, but libcurl sends the URL's
/// user-info as Basic auth, so with the default header (<c>Authorization</c>) both
/// <c>url: http://falco:TOKEN@127.0.0.1:2801/</c> and <c>Authorization: Bearer TOKEN</c> work. Any other header
/// name takes the token as its whole value. Compared in constant time.
/// </summary>
internal sealed class AlertToken(Secret token, string header)
{
    private readonly byte[] _expected = Encoding.UTF8.GetBytes(token.Reveal());

    public string Header => header;

    public bool Accepts(string? value)
    {
        if (value is null)
        {
            return false;
        }

        if (!string.Equals(header, "Authorization", StringComparison.OrdinalIgnoreCase))
        {
            return Matches(value);
        }

        if (value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return Matches(value["Bearer ".Length..].Trim());
        }

        if (value.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            // user:password from the URL's user-info; the token may be either part (http://TOKEN@host/ has no password).
            string credentials;
            try
            {
                credentials = Encoding.UTF8.GetString(Convert.FromBase64String(value["Basic ".Length..].Trim()));
            }
            catch (FormatException)
            {
                return false;
            }

            int colon = credentials.IndexOf(':', StringComparison.Ordinal);
            return colon < 0
                ? Matches(credentials)
                : Matches(credentials[(colon + 1)..]) | Matches(Uri.UnescapeDataString(credentials[..colon]));
        }

        return false;
    }

    private bool Matches(string candidate) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(candidate), _expected);
}
