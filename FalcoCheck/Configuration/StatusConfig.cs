using System.Globalization;
using System.Net;

namespace FalcoCheck.Configuration;

/// <summary>
/// <c>status:</c> in the agent file: where <c>falcocheck run</c> serves its status (read by <c>falcocheck status</c>).
/// Loopback by default, so nothing is open to the network unless the file says so.
/// </summary>
internal sealed record StatusConfig
{
    /// <summary>Next to Falco's own web server (8765), so the two are easy to tell apart in <c>ss -ltn</c>.</summary>
    public const int DefaultPort = 8766;

    public static IPEndPoint DefaultListen { get; } = new(IPAddress.Loopback, DefaultPort);

    public bool Enabled { get; init; } = true;

    public IPEndPoint Listen { get; init; } = DefaultListen;

    /// <summary>The address as a user writes it: <c>127.0.0.1:8766</c>, <c>[::1]:8766</c>.</summary>
    public string ListenText => Listen.ToString();

    /// <summary>The URL a client on this host uses to reach the endpoint (a wildcard bind is reached on loopback).</summary>
    public Uri BaseUrl
    {
        get
        {
            IPAddress host = Listen.Address.Equals(IPAddress.Any) ? IPAddress.Loopback
                : Listen.Address.Equals(IPAddress.IPv6Any) ? IPAddress.IPv6Loopback
                : Listen.Address;
            return new Uri("http://" + new IPEndPoint(host, Listen.Port).ToString() + "/");
        }
    }

    public override string ToString() => Enabled ? ListenText : "disabled";

    /// <summary>
    /// Parses <c>HOST:PORT</c>: an IPv4 address, a bracketed IPv6 address or <c>localhost</c>, and a port from 1 to
    /// 65535 (or 0, a free port, when <paramref name="anyPort"/>). Host names other than localhost are refused: a bind
    /// address must not depend on DNS.
    /// </summary>
    public static bool TryParseListen(string text, out IPEndPoint endpoint, bool anyPort = false)
    {
        endpoint = DefaultListen;
        text = text.Trim();
        int colon = text.LastIndexOf(':');
        if (colon <= 0
            || !int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int port)
            || port < (anyPort ? IPEndPoint.MinPort : IPEndPoint.MinPort + 1) || port > IPEndPoint.MaxPort)
        {
            return false;
        }

        string host = text[..colon];
        IPAddress? address;
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            address = IPAddress.Loopback;
        }
        else if (host.StartsWith('[') && host.EndsWith(']'))
        {
            if (!IPAddress.TryParse(host.AsSpan(1, host.Length - 2), out address) || address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6)
            {
                return false;
            }
        }
        else if (host.Contains(':', StringComparison.Ordinal)
            || !IPAddress.TryParse(host, out address)
            || address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork
            || host.Count(c => c == '.') != 3)
        {
            // IPAddress.TryParse also takes "1" or "0x7f.1" as IPv4; only the dotted quad a user means is accepted.
            return false;
        }

        endpoint = new IPEndPoint(address, port);
        return true;
    }
}
