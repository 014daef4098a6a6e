using System.Net;
using System.Net.Sockets;
using System.Text;

namespace FalcoCheck.Tests.Support;

/// <summary>
/// A loopback HTTP proxy that wants <c>Proxy-Authorization: Basic</c> with one user and password, as a squid with
/// basic auth: without them it answers <c>407</c> with a <c>Proxy-Authenticate: Basic</c> challenge. Authorised, it
/// tunnels a <c>CONNECT host:port</c> or forwards an absolute-form request (<c>GET http://host:port/path</c>) to
/// 127.0.0.1:port whatever the host is called (a forwarded request's Host header too), so a test can name a server
/// (kube-api.test) that no resolver knows. Keep-alive requests after the first on a forwarded connection go as they come.
/// </summary>
internal sealed class AuthenticatingProxy : IAsyncDisposable
{
    private readonly LoopbackTcpServer _server;
    private readonly string _expected;

    public AuthenticatingProxy(string user, string password)
    {
        _expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password));
        _server = new LoopbackTcpServer(ServeAsync);
    }

    public int Port => _server.Port;

    /// <summary>Request lines of authorised requests (<c>CONNECT kube-api.test:443 HTTP/1.1</c>).</summary>
    public IReadOnlyList<string> Passed => Snapshot(_passed);

    /// <summary>Request lines answered 407.</summary>
    public IReadOnlyList<string> Refused => Snapshot(_refused);

    /// <summary>Every Proxy-Authorization header received (null for a request without one).</summary>
    public IReadOnlyList<string?> Authorizations => Snapshot(_authorizations);

    // Filled by the proxy's connection tasks while a test reads: read as copies taken under the lock.
    private readonly List<string> _passed = [];
    private readonly List<string> _refused = [];
    private readonly List<string?> _authorizations = [];

    private static T[] Snapshot<T>(List<T> list)
    {
        lock (list)
        {
            return [.. list];
        }
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                string? requestLine = await ReadLineAsync(stream);
                if (string.IsNullOrEmpty(requestLine))
                {
                    return;
                }

                var headers = new List<string>();
                string? authorization = null;
                string? header;
                while (!string.IsNullOrEmpty(header = await ReadLineAsync(stream)))
                {
                    if (header.StartsWith("Proxy-Authorization:", StringComparison.OrdinalIgnoreCase))
                    {
                        authorization = header["Proxy-Authorization:".Length..].Trim();
                    }
                    else
                    {
                        headers.Add(header);
                    }
                }

                lock (_authorizations)
                {
                    _authorizations.Add(authorization);
                }

                if (authorization != _expected)
                {
                    lock (_refused)
                    {
                        _refused.Add(requestLine);
                    }

                    await stream.WriteAsync("HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"falcocheck-test\"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"u8.ToArray());
                    return;
                }

                lock (_passed)
                {
                    _passed.Add(requestLine);
                }

                string[] parts = requestLine.Split(' ');
                bool connect = parts[0] == "CONNECT";
                var target = connect ? new Uri("tcp://" + parts[1]) : new Uri(parts[1]);
                using var upstream = new TcpClient();
                await upstream.ConnectAsync(IPAddress.Loopback, target.Port);
                var up = upstream.GetStream();
                if (connect)
                {
                    await stream.WriteAsync("HTTP/1.1 200 Connection established\r\n\r\n"u8.ToArray());
                }
                else
                {
                    // Origin-form upstream; the rest of the connection is relayed as it comes.
                    var head = new StringBuilder().Append(parts[0]).Append(' ').Append(target.PathAndQuery).Append(' ').Append(parts[2]).Append("\r\n");
                    foreach (string line in headers)
                    {
                        // The listener behind serves 127.0.0.1 (HttpListener answers 404 to another Host).
                        head.Append(line.StartsWith("Host:", StringComparison.OrdinalIgnoreCase) ? $"Host: 127.0.0.1:{target.Port}" : line).Append("\r\n");
                    }

                    await up.WriteAsync(Encoding.ASCII.GetBytes(head.Append("\r\n").ToString()));
                }

                var toServer = stream.CopyToAsync(up, _server.Stopping);
                var toClient = up.CopyToAsync(stream, _server.Stopping);
                await Task.WhenAny(toServer, toClient);
            }
            catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
            {
                // Either side hung up.
            }
        }
    }

    /// <summary>One CRLF-terminated line, read byte by byte so nothing after the head is consumed.</summary>
    private static async Task<string?> ReadLineAsync(NetworkStream stream)
    {
        var line = new StringBuilder();
        var one = new byte[1];
        while (await stream.ReadAsync(one) == 1)
        {
            if (one[0] == '\n')
            {
                return line.ToString().TrimEnd('\r');
            }

            line.Append((char)one[0]);
        }

        return line.Length == 0 ? null : line.ToString();
    }
}
