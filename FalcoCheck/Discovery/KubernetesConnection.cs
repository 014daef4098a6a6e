using System.Globalization;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using FalcoCheck.Configuration;
using FalcoCheck.Scraping;

namespace FalcoCheck.Discovery;

/// <summary>
/// What reaching the Kubernetes API takes: its address, how its certificate is trusted, and who we are (a client
/// certificate and/or <see cref="Credentials"/>). Made in-cluster from the pod's service account
/// (<see cref="InCluster"/>) or from a kubeconfig file (<see cref="KubeconfigReader"/>).
/// </summary>
internal sealed class KubernetesConnection : IDisposable
{
    /// <summary>Where the kubelet mounts the service account's token, CA and namespace.</summary>
    public const string ServiceAccountDirectory = "/var/run/secrets/kubernetes.io/serviceaccount";

    /// <summary>The API server, e.g. https://10.96.0.1:443/ (always ends with '/': request paths are relative).</summary>
    public required Uri Server { get; init; }

    /// <summary>Roots the server's certificate must chain to; null for the system's roots.</summary>
    public X509Certificate2Collection? CertificateAuthorities { get; init; }

    /// <summary>kubeconfig <c>insecure-skip-tls-verify</c>: any server certificate is accepted.</summary>
    public bool InsecureSkipTlsVerify { get; init; }

    /// <summary>kubeconfig <c>tls-server-name</c>: the name the certificate must carry, when not the server's host.</summary>
    public string? TlsServerName { get; init; }

    /// <summary>
    /// How requests reach the server (<see cref="KubernetesProxy"/>): kubeconfig <c>proxy-url</c>, else HTTPS_PROXY /
    /// HTTP_PROXY / NO_PROXY; direct when neither applies.
    /// </summary>
    public OutboundProxy Proxy { get; init; } = KubernetesProxy.Direct;

    public X509Certificate2? ClientCertificate { get; init; }

    public KubernetesCredentials Credentials { get; init; } = KubernetesCredentials.None;

    /// <summary>
    /// The pod's own service account, as client-go's rest.InClusterConfig: the API at
    /// https://KUBERNETES_SERVICE_HOST:KUBERNETES_SERVICE_PORT, trusted through ca.crt, with the bearer token
    /// re-read from its file (bound tokens rotate), and the environment's proxy as client-go (<see cref="KubernetesProxy"/>).
    /// </summary>
    public static KubernetesConnection InCluster(Func<string, string?> getEnv, string serviceAccountDirectory, TimeProvider clock)
    {
        string? host = getEnv("KUBERNETES_SERVICE_HOST");
        string? port = getEnv("KUBERNETES_SERVICE_PORT");
        if (string.IsNullOrEmpty(host) || string.IsNullOrEmpty(port))
        {
            throw new KubernetesConnectionException(
                "not running in a Kubernetes pod (KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be set); set kubernetes.kubeconfig to reach the API from outside the cluster");
        }

        if (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out int number) || number is < 1 or > 65535)
        {
            throw new KubernetesConnectionException($"KUBERNETES_SERVICE_PORT is not a port number: '{port}'");
        }

        // An IPv6 service address goes in brackets (as net.JoinHostPort does).
        string authority = (host.Contains(':', StringComparison.Ordinal) ? "[" + host + "]" : host) + ":" + number.ToString(CultureInfo.InvariantCulture);
        string caPath = Path.Combine(serviceAccountDirectory, "ca.crt");
        var server = new Uri("https://" + authority + "/");
        return new KubernetesConnection
        {
            Server = server,
            Proxy = KubernetesProxy.For(server, null, getEnv),
            CertificateAuthorities = ReadCertificates(caPath, "the service account CA"),
            Credentials = KubernetesCredentials.TokenFile(Path.Combine(serviceAccountDirectory, "token"), clock),
        };
    }

    /// <summary>PEM certificates from a file; at least one, or an error naming the file.</summary>
    public static X509Certificate2Collection ReadCertificates(string path, string what) =>
        ParseCertificates(ReadText(path, what), what + " " + path);

    /// <summary>A file's text, or an error naming what it is and where.</summary>
    public static string ReadText(string path, string what)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new KubernetesConnectionException($"cannot read {what} {path}: {e.Message}", e);
        }
    }

    /// <summary>PEM certificates from text; <paramref name="what"/> names where the text came from.</summary>
    public static X509Certificate2Collection ParseCertificates(string pem, string what)
    {
        var roots = new X509Certificate2Collection();
        try
        {
            roots.ImportFromPem(pem);
        }
        catch (System.Security.Cryptography.CryptographicException e)
        {
            throw new KubernetesConnectionException($"{what} is not a PEM certificate: {e.Message}", e);
        }

        return roots.Count > 0 ? roots : throw new KubernetesConnectionException($"{what} holds no PEM certificate");
    }

    /// <summary>
    /// The handler every request goes through: TLS (<see cref="ClientTls"/>, as the scraper's and the sinks'), the
    /// <see cref="Proxy"/>, one pooled connection set.
    /// </summary>
    public SocketsHttpHandler CreateHandler()
    {
        var handler = new SocketsHttpHandler
        {
            SslOptions = ClientTls.Create(!InsecureSkipTlsVerify, CertificateAuthorities, ClientCertificate, TlsServerName),
            AutomaticDecompression = DecompressionMethods.None,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(90),
        };
        OutboundProxy.Apply(handler, Proxy, Server);
        return handler;
    }

    /// <summary>" through the proxy X" after the API's address in log lines and reports, or nothing without a proxy.</summary>
    public static string Through(string? proxyShown) => proxyShown is null ? string.Empty : " through the proxy " + proxyShown;

    /// <summary>The proxy the API is reached through, without its user-info (for the log and errors); null for none.</summary>
    public string? ProxyShown => Proxy.Skip || Proxy.For(Server) is not { Address: { } address } ? null : EndpointRedactor.Redact(address);

    public void Dispose() => ClientCertificate?.Dispose();
}
