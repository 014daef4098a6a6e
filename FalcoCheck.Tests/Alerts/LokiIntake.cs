using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using FalcoCheck.Sinks.Loki.Protocol;
using FalcoCheck.Tests.Support;

namespace FalcoCheck.Tests.Alerts;

/// <summary>
/// A loopback stand-in for Loki's push endpoint that checks the published API
/// (https://grafana.com/docs/loki/latest/reference/loki-http-api/#ingest-logs): <c>POST /loki/api/v1/push</c>, either
/// <c>application/x-protobuf</c> with a snappy block body of <c>logproto.PushRequest</c>, or <c>application/json</c>
/// with <c>{"streams":[{"stream":{..},"values":[["&lt;ns&gt;","&lt;line&gt;"]]}]}</c>. It answers 204 like Loki, 400 with
/// the reason otherwise, or <see cref="FailWith"/> when a test scripts an outage.
/// </summary>
internal sealed class LokiIntake : IAsyncDisposable
{
    private readonly TestHttpServer _server;

    public LokiIntake() => _server = new TestHttpServer(HandleAsync);

    public Uri Url => new($"http://127.0.0.1:{_server.Port}");

    public ConcurrentQueue<Entry> Entries { get; } = new();

    public ConcurrentQueue<string> Violations { get; } = new();

    public ConcurrentQueue<(string? Tenant, string? Authorization, string? ContentType)> Requests { get; } = new();

    public HttpStatusCode? FailWith { get; set; }

    /// <summary>One log line as Loki would store it: its stream's labels, its time and text.</summary>
    internal sealed record Entry(IReadOnlyDictionary<string, string> Labels, long Nanos, string Line);

    private async Task HandleAsync(HttpListenerContext context)
    {
        HttpListenerRequest request = context.Request;
        Requests.Enqueue((request.Headers["X-Scope-OrgID"], request.Headers["Authorization"], request.ContentType));
        if (FailWith is { } status)
        {
            await TestHttpServer.WriteAsync(context, "down"u8.ToArray(), "text/plain", (int)status);
            return;
        }

        using var body = new MemoryStream();
        await request.InputStream.CopyToAsync(body);
        string? problem = request.HttpMethod != "POST" || request.Url!.AbsolutePath != "/loki/api/v1/push"
            ? $"{request.HttpMethod} {request.Url!.AbsolutePath}"
            : request.ContentType switch
            {
                "application/x-protobuf" => ReadProtobuf(body.ToArray()),
                "application/json" => ReadJson(body.ToArray()),
                _ => "content type " + request.ContentType,
            };
        if (problem is not null)
        {
            Violations.Enqueue(problem);
            await TestHttpServer.WriteAsync(context, System.Text.Encoding.UTF8.GetBytes(problem), "text/plain", 400);
            return;
        }

        context.Response.StatusCode = 204;
        context.Response.Close();
    }

    private string? ReadProtobuf(byte[] body)
    {
        PushRequest push = PushRequest.Parser.ParseFrom(Snappier.Snappy.DecompressToArray(body));
        foreach (StreamAdapter stream in push.Streams)
        {
            if (ParseLabels(stream.Labels) is not { } labels)
            {
                return "labels not in Prometheus form: " + stream.Labels;
            }

            foreach (EntryAdapter entry in stream.Entries)
            {
                if (entry.Timestamp is null)
                {
                    return "an entry without a timestamp";
                }

                Entries.Enqueue(new Entry(labels, (entry.Timestamp.Seconds * 1_000_000_000) + entry.Timestamp.Nanos, entry.Line));
            }
        }

        return null;
    }

    private string? ReadJson(byte[] body)
    {
        using JsonDocument push = JsonDocument.Parse(body);
        foreach (JsonElement stream in push.RootElement.GetProperty("streams").EnumerateArray())
        {
            var labels = new Dictionary<string, string>();
            foreach (JsonProperty label in stream.GetProperty("stream").EnumerateObject())
            {
                if (label.Value.ValueKind != JsonValueKind.String)
                {
                    return "a label value that is not a string";
                }

                labels[label.Name] = label.Value.GetString()!;
            }

            foreach (JsonElement value in stream.GetProperty("values").EnumerateArray())
            {
                if (value.GetArrayLength() != 2 || value[0].ValueKind != JsonValueKind.String || !long.TryParse(value[0].GetString(), out long nanos)
                    || value[1].ValueKind != JsonValueKind.String)
                {
                    return "a value that is not [\"<unix ns>\", \"<line>\"]: " + value.GetRawText();
                }

                Entries.Enqueue(new Entry(labels, nanos, value[1].GetString()!));
            }
        }

        return null;
    }

    /// <summary><c>{a="x", b="y"}</c> with names sorted, as Loki's parser reads them; null when malformed.</summary>
    internal static Dictionary<string, string>? ParseLabels(string text)
    {
        if (!text.StartsWith('{') || !text.EndsWith('}'))
        {
            return null;
        }

        var labels = new Dictionary<string, string>();
        int i = 1;
        string? previous = null;
        while (i < text.Length - 1)
        {
            int eq = text.IndexOf("=\"", i, StringComparison.Ordinal);
            if (eq < 0)
            {
                return null;
            }

            string name = text[i..eq];
            var value = new System.Text.StringBuilder();
            int j = eq + 2;
            for (; j < text.Length && text[j] != '"'; j++)
            {
                if (text[j] == '\\')
                {
                    j++;
                    value.Append(text[j] == 'n' ? '\n' : text[j]);
                }
                else
                {
                    value.Append(text[j]);
                }
            }

            if (previous is not null && string.CompareOrdinal(previous, name) >= 0)
            {
                return null;
            }

            labels[name] = value.ToString();
            previous = name;
            i = j + 1;
            if (i < text.Length - 1)
            {
                if (!text.AsSpan(i).StartsWith(", "))
                {
                    return null;
                }

                i += 2;
            }
        }

        return labels;
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
