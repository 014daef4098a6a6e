using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace FalcoCheck.Tests.Support;

/// <summary>
/// A minimal HTTP/1.1 server on a raw socket, optionally behind TLS (self-signed certificate, optional client
/// certificate), that records the request line: for TLS and proxy tests, where HttpListener cannot help.
/// </summary>
internal sealed class RawHttpServer : IAsyncDisposable
{
    private readonly LoopbackTcpServer _server;
    private readonly X509Certificate2? _certificate;
    private readonly bool _requireClientCertificate;
    private readonly X509Certificate2Collection? _intermediates;
    private readonly byte[] _body;

    public RawHttpServer(byte[] body, X509Certificate2? certificate = null, bool requireClientCertificate = false, X509Certificate2Collection? intermediates = null)
    {
        _intermediates = intermediates;
        _body = body;
        _certificate = certificate;
        _requireClientCertificate = requireClientCertificate;
        _server = new LoopbackTcpServer(ServeAsync);
    }

    public int Port => _server.Port;

    /// <summary>Request lines received, e.g. <c>GET http://falco.example:8765/metrics HTTP/1.1</c> through a proxy.</summary>
    public List<string> RequestLines { get; } = [];

    /// <summary>Subject of the client certificate of the last TLS connection, if one was presented.</summary>
    public string? ClientCertificateSubject { get; private set; }

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                Stream stream = client.GetStream();
                if (_certificate is not null)
                {
                    var ssl = new SslStream(stream, false, (_, certificate, _, _) =>
                    {
                        ClientCertificateSubject = certificate?.Subject;
                        return !_requireClientCertificate || certificate is not null;
                    });
                    await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
                    {
                        // The intermediates, if any, are sent after the server's certificate, as a server's chain file does.
                        ServerCertificateContext = SslStreamCertificateContext.Create(_certificate, _intermediates, offline: true),
                        ClientCertificateRequired = _requireClientCertificate,
                    });
                    stream = ssl;
                }

                var reader = new StreamReader(stream, Encoding.ASCII, leaveOpen: true);
                var requestLine = await reader.ReadLineAsync();
                int contentLength = 0;
                string? header;
                while (!string.IsNullOrEmpty(header = await reader.ReadLineAsync()))
                {
                    if (header.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
                    {
                        contentLength = int.Parse(header.AsSpan("Content-Length:".Length).Trim(), System.Globalization.CultureInfo.InvariantCulture);
                    }
                }

                // A POST's body is read before answering, so the client never sees its upload cut off.
                char[] body = new char[contentLength];
                int read = 0;
                while (read < contentLength && await reader.ReadAsync(body.AsMemory(read)) is var n and > 0)
                {
                    read += n;
                }

                lock (RequestLines)
                {
                    RequestLines.Add(requestLine ?? string.Empty);
                }

                var head = Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4\r\nContent-Length: {_body.Length}\r\nConnection: close\r\n\r\n");
                await stream.WriteAsync(head);
                await stream.WriteAsync(_body);
                await stream.FlushAsync();
            }
            catch (Exception e) when (e is IOException or System.Security.Authentication.AuthenticationException or ObjectDisposedException)
            {
                // The client refused our certificate or hung up: the test looks at what the client reported.
            }
        }
    }
}
