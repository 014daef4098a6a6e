using System.Collections.Concurrent;
using System.IO.Compression;
using System.Net;
using FalcoCheck.Sinks.Otlp.Protocol;
using FalcoCheck.Tests.Support;
using Google.Protobuf;

namespace FalcoCheck.Tests.Alerts;

/// <summary>A loopback <c>/v1/logs</c> receiver decoding with the generated types; answers 200 with an empty response.</summary>
internal sealed class OtlpLogsIntake : IAsyncDisposable
{
    private readonly TestHttpServer _server;

    public OtlpLogsIntake() => _server = new TestHttpServer(HandleAsync);

    public Uri Url => new($"http://127.0.0.1:{_server.Port}/v1/logs");

    public ConcurrentQueue<(Resource Resource, LogRecord Record)> Records { get; } = new();

    public ConcurrentQueue<string> Violations { get; } = new();

    public ConcurrentQueue<string?> Authorizations { get; } = new();

    private async Task HandleAsync(HttpListenerContext context)
    {
        Authorizations.Enqueue(context.Request.Headers["Authorization"]);
        using var body = new MemoryStream();
        Stream input = context.Request.Headers["Content-Encoding"] == "gzip"
            ? new GZipStream(context.Request.InputStream, CompressionMode.Decompress)
            : context.Request.InputStream;
        await input.CopyToAsync(body);
        if (context.Request.Url!.AbsolutePath != "/v1/logs" || context.Request.ContentType != "application/x-protobuf")
        {
            Violations.Enqueue($"{context.Request.Url.AbsolutePath} {context.Request.ContentType}");
        }

        var request = ExportLogsServiceRequest.Parser.ParseFrom(body.ToArray());
        foreach (ResourceLogs resource in request.ResourceLogs)
        {
            foreach (ScopeLogs scope in resource.ScopeLogs)
            {
                foreach (LogRecord record in scope.LogRecords)
                {
                    Records.Enqueue((resource.Resource, record));
                }
            }
        }

        await TestHttpServer.WriteAsync(context, new ExportLogsServiceResponse().ToByteArray(), "application/x-protobuf");
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
