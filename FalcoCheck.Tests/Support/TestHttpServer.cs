using System.Net;
using System.Net.Sockets;

namespace FalcoCheck.Tests.Support;

/// <summary>A loopback HTTP server whose answers a test scripts: slow, broken, oversized or authenticated endpoints.</summary>
internal sealed class TestHttpServer : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Func<HttpListenerContext, Task> _handler;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public TestHttpServer(Func<HttpListenerContext, Task> handler)
    {
        _handler = handler;
        Port = FreePort();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public int Port { get; }

    public string Url => $"http://127.0.0.1:{Port}/metrics";

    /// <summary>Request headers of the last request, for assertions on what the scraper sent.</summary>
    public WebHeaderCollection? LastHeaders { get; private set; }

    public CancellationToken Stopping => _stop.Token;

    public static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    public static async Task WriteAsync(HttpListenerContext context, byte[] body, string contentType = "text/plain; version=0.0.4", int status = 200)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        context.Response.ContentLength64 = body.Length;
        await context.Response.OutputStream.WriteAsync(body);
        context.Response.Close();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Close();
        try
        {
            await _loop;
        }
        catch (ObjectDisposedException)
        {
        }

        _stop.Dispose();
    }

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            LastHeaders = (WebHeaderCollection)context.Request.Headers;
            _ = Task.Run(async () =>
            {
                try
                {
                    await _handler(context);
                }
                catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException or OperationCanceledException)
                {
                    // The scraper gave up first (timeouts); nothing to do.
                }
            });
        }
    }
}
