using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace FalcoCheck.Runtime;

/// <summary>
/// The daemon's status endpoint: <c>GET /status</c> (the <see cref="StatusReport"/> as JSON) and <c>GET /healthz</c>.
/// Read-only and small; served with <see cref="HttpListener"/>, which needs no web framework and works under NativeAOT.
/// It binds where <c>status.listen</c> says, loopback by default.
/// </summary>
internal sealed class StatusServer : IAsyncDisposable
{
    private static readonly byte[] Healthy = "{\"status\":\"ok\"}\n"u8.ToArray();

    private readonly HttpListener _listener;
    private readonly Func<StatusReport> _report;
    private readonly ILogger _logger;
    private readonly Task _loop;

    private StatusServer(HttpListener listener, Func<StatusReport> report, ILogger logger)
    {
        _listener = listener;
        _report = report;
        _logger = logger;
        _loop = Task.Run(ServeAsync);
    }

    /// <exception cref="InvalidOperationException">The address cannot be bound (in use, not local, not allowed).</exception>
    public static StatusServer Start(IPEndPoint listen, Func<StatusReport> report, ILogger logger)
    {
        var host = listen.Address.Equals(IPAddress.Any) || listen.Address.Equals(IPAddress.IPv6Any) ? "+"
            : listen.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? "[" + listen.Address + "]"
            : listen.Address.ToString();
        var listener = new HttpListener();
        listener.Prefixes.Add($"http://{host}:{listen.Port}/");
        try
        {
            listener.Start();
        }
        catch (HttpListenerException e)
        {
            listener.Close();
            throw new InvalidOperationException($"status.listen {listen}: {e.Message} (set another status.listen, or status.enabled: false)", e);
        }

        return new StatusServer(listener, report, logger);
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Close();
        await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private async Task ServeAsync()
    {
        while (true)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            await AnswerAsync(context).ConfigureAwait(false);
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        var response = context.Response;
        // One request per connection: HttpListener may drop an idle kept-alive connection just as a client reuses it
        // (seen as a failed request every few minutes of polling), and status is read seldom enough not to need reuse.
        response.KeepAlive = false;
        try
        {
            var path = context.Request.Url?.AbsolutePath ?? "/";
            byte[] body;
            if (context.Request.HttpMethod is not ("GET" or "HEAD"))
            {
                response.StatusCode = 405;
                response.AddHeader("Allow", "GET, HEAD");
                body = [];
            }
            else if (path == "/status")
            {
                response.ContentType = "application/json";
                body = JsonSerializer.SerializeToUtf8Bytes(_report(), StatusJsonContext.Default.StatusReport);
            }
            else if (path == "/healthz")
            {
                response.ContentType = "application/json";
                body = Healthy;
            }
            else
            {
                response.StatusCode = 404;
                body = "not found: try /status or /healthz\n"u8.ToArray();
            }

            response.ContentLength64 = body.Length;
            if (context.Request.HttpMethod != "HEAD")
            {
                await response.OutputStream.WriteAsync(body).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException)
        {
            DaemonLog.StatusServerProblem(_logger, e.Message);
        }
        finally
        {
            try
            {
                response.Close();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
            }
        }
    }
}
