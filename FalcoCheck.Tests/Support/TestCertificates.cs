using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace FalcoCheck.Tests.Support;

/// <summary>
/// A throwaway CA, a server certificate it signed, and a client certificate, as PEM files. The server certificate is
/// for 127.0.0.1, or only for <paramref name="serverDnsName"/> when given (a certificate whose name is not the address
/// dialled, as behind kubeconfig's <c>tls-server-name</c>). With <paramref name="intermediate"/> the CA signs an
/// intermediate CA that signs the server certificate (the server sends it, <see cref="Intermediates"/>; the CA file
/// holds the root only, as a cluster CA bundle does). <paramref name="serverAuthUsage"/> false gives a server
/// certificate whose extended key usage is client authentication only (not fit to identify a server).
/// </summary>
internal sealed class TestCertificates : IDisposable
{
    public TestCertificates(string? serverDnsName = null, bool intermediate = false, bool serverAuthUsage = true)
    {
        Folder = Directory.CreateTempSubdirectory("falcocheck-tls-").FullName;
        using var caKey = RSA.Create(2048);
        var caRequest = new CertificateRequest("CN=FalcoCheck Test CA", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using var ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        File.WriteAllText(CaPath, ca.ExportCertificatePem());
        using var intermediateKey = RSA.Create(2048);
        X509Certificate2? issuer = null;
        if (intermediate)
        {
            var request = new CertificateRequest("CN=FalcoCheck Test Intermediate CA", intermediateKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
            using var issued = request.Create(ca, DateTimeOffset.UtcNow.AddDays(-1), new DateTimeOffset(ca.NotAfter.ToUniversalTime()).AddMinutes(-1), [9, 9, 9, 9]);
            issuer = issued.CopyWithPrivateKey(intermediateKey);
            Intermediates.Add(X509CertificateLoader.LoadCertificate(issued.RawData));
        }

        using var serverKey = RSA.Create(2048);
        var serverRequest = new CertificateRequest($"CN={serverDnsName ?? "127.0.0.1"}", serverKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        if (serverDnsName is null)
        {
            names.AddIpAddress(System.Net.IPAddress.Loopback);
        }
        else
        {
            names.AddDnsName(serverDnsName);
        }

        serverRequest.CertificateExtensions.Add(names.Build());
        serverRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(serverAuthUsage ? "1.3.6.1.5.5.7.3.1" : "1.3.6.1.5.5.7.3.2")], false));
        using var serverPublic = serverRequest.Create(issuer ?? ca, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(28), [1, 2, 3, 4]);
        using var serverWithKey = serverPublic.CopyWithPrivateKey(serverKey);
        // SslStream on Linux wants a certificate whose key it can use: round-trip through PKCS#12.
        Server = X509CertificateLoader.LoadPkcs12(serverWithKey.Export(X509ContentType.Pkcs12), null);
        issuer?.Dispose();

        using var clientKey = RSA.Create(2048);
        var clientRequest = new CertificateRequest("CN=falcocheck-client", clientKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        clientRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        using var client = clientRequest.Create(ca, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(29), [5, 6, 7, 8]);
        File.WriteAllText(ClientCertPath, client.ExportCertificatePem());
        File.WriteAllText(ClientKeyPath, clientKey.ExportPkcs8PrivateKeyPem());
    }

    public string Folder { get; }

    public X509Certificate2 Server { get; }

    /// <summary>The intermediate CA the server sends with its certificate; empty without one.</summary>
    public X509Certificate2Collection Intermediates { get; } = [];

    public string CaPath => Path.Combine(Folder, "ca.pem");

    public string ClientCertPath => Path.Combine(Folder, "client.pem");

    public string ClientKeyPath => Path.Combine(Folder, "client.key");

    public void Dispose()
    {
        Server.Dispose();
        Directory.Delete(Folder, recursive: true);
    }
}
