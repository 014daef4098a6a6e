namespace FalcoCheck.Sinks.Loki;

/// <summary>The body of a push: snappy-compressed protobuf (Promtail's) or JSON (Loki's documented HTTP form).</summary>
internal enum LokiEncoding
{
    Protobuf,
    Json,
}
