using System.Net;

namespace FalcoCheck.Discovery;

/// <summary>
/// The API answered a request with an error status, or a watch with an ERROR event; <see cref="Exception.Message"/>
/// is the line for the log and <c>status</c> ("the API answered 403 Forbidden: pods is forbidden: …").
/// </summary>
internal sealed class KubernetesApiException : Exception
{
    public KubernetesApiException()
    {
    }

    public KubernetesApiException(string message)
        : base(message)
    {
    }

    public KubernetesApiException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public KubernetesApiException(HttpStatusCode status, string? statusMessage, string what = "the API answered")
        : base($"{what} {(int)status} {status}" + (string.IsNullOrEmpty(statusMessage) ? string.Empty : ": " + statusMessage))
    {
        StatusCode = status;
    }

    public HttpStatusCode? StatusCode { get; }
}
