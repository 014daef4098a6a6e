using Google.Protobuf;

namespace FalcoCheck.Sinks.Otlp;

/// <summary>The body of a 2xx OTLP/HTTP answer, read for its partial success (metrics and logs alike).</summary>
internal static class OtlpResponse
{
    /// <summary>Null when the body is empty or not protobuf: a receiver answering 2xx with JSON or text took the data.</summary>
    public static T? Parse<T>(byte[] body, MessageParser<T> parser) where T : class, IMessage<T>
    {
        if (body.Length == 0)
        {
            return null;
        }

        try
        {
            return parser.ParseFrom(body);
        }
        catch (InvalidProtocolBufferException)
        {
            return null;
        }
    }
}
