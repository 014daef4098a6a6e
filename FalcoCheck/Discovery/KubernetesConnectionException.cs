namespace FalcoCheck.Discovery;

/// <summary>
/// The Kubernetes API cannot be configured: a kubeconfig or service account mount that is missing, unreadable or
/// asks for something FalcoCheck does not do (exec plugins, auth providers). The message names the file and entry,
/// never a credential.
/// </summary>
internal sealed class KubernetesConnectionException : Exception
{
    public KubernetesConnectionException()
    {
    }

    public KubernetesConnectionException(string message)
        : base(message)
    {
    }

    public KubernetesConnectionException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
