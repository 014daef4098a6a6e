using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

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

    /// <summary>kubeconfig <c>proxy-url</c> (http, https or socks5); null for the environment's proxy settings.</summary>
    public Uri? ProxyUrl { get; init; }

    public X509Certificate2? ClientCertificate { get; init; }

    public KubernetesCredentials Credentials { get; init; } = KubernetesCredentials.None;

    /// <summary>
    /// The pod's own service account, as client-go's rest.InClusterConfig: the API at
    /// https://KUBERNETES_SERVICE_HOST:KUBERNETES_SERVICE_PORT, trusted through ca.crt, with the bearer token
    /// re-read from its file (bound tokens rotate).
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
        return new KubernetesConnection
        {
            Server = new Uri("https://" + authority + "/"),
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

    /// <summary>The handler every request goes through: TLS as configured, one pooled connection set.</summary>
    public SocketsHttpHandler CreateHandler()
    {
        var ssl = new SslClientAuthenticationOptions();
        if (InsecureSkipTlsVerify)
        {
            ssl.RemoteCertificateValidationCallback = static (_, _, _, _) => true;
        }
        else
        {
            if (CertificateAuthorities is { } roots)
            {
                // The runtime still checks the name and the dates; only the roots are ours (cluster CAs have no CRL).
                var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
                policy.CustomTrustStore.AddRange(roots);
                ssl.CertificateChainPolicy = policy;
            }

            if (TlsServerName is { } name)
            {
                // SocketsHttpHandler sets TargetHost from the URL, so the name check is ours: the chain and dates as
                // the runtime found them, the name against tls-server-name instead of the host dialled.
                ssl.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                    (errors & ~SslPolicyErrors.RemoteCertificateNameMismatch) == SslPolicyErrors.None
                    && certificate is X509Certificate2 server && server.MatchesHostname(name);
            }
        }

        if (ClientCertificate is { } certificate)
        {
            ssl.ClientCertificates = [certificate];
        }

        return new SocketsHttpHandler
        {
            SslOptions = ssl,
            AutomaticDecompression = DecompressionMethods.None,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(90),
            // As client-go: the kubeconfig's proxy-url, else HTTPS_PROXY / NO_PROXY from the environment.
            Proxy = ProxyUrl is { } proxy ? new WebProxy(proxy) : null,
            UseProxy = true,
        };
    }

    public void Dispose() => ClientCertificate?.Dispose();
}
