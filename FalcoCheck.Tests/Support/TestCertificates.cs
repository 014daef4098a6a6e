using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace FalcoCheck.Tests.Support;

/// <summary>
/// A throwaway CA, a server certificate it signed, and a client certificate, as PEM files. The server certificate is
/// for 127.0.0.1, or only for <paramref name="serverDnsName"/> when given (a certificate whose name is not the address
/// dialled, as behind kubeconfig's <c>tls-server-name</c>).
/// </summary>
internal sealed class TestCertificates : IDisposable
{
    public TestCertificates(string? serverDnsName = null)
    {
        Folder = Directory.CreateTempSubdirectory("falcocheck-tls-").FullName;
        using var caKey = RSA.Create(2048);
        var caRequest = new CertificateRequest("CN=FalcoCheck Test CA", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using var ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        File.WriteAllText(CaPath, ca.ExportCertificatePem());

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
        serverRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var serverPublic = serverRequest.Create(ca, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(29), [1, 2, 3, 4]);
        using var serverWithKey = serverPublic.CopyWithPrivateKey(serverKey);
        // SslStream on Linux wants a certificate whose key it can use: round-trip through PKCS#12.
        Server = X509CertificateLoader.LoadPkcs12(serverWithKey.Export(X509ContentType.Pkcs12), null);

        using var clientKey = RSA.Create(2048);
        var clientRequest = new CertificateRequest("CN=falcocheck-client", clientKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        clientRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        using var client = clientRequest.Create(ca, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(29), [5, 6, 7, 8]);
        File.WriteAllText(ClientCertPath, client.ExportCertificatePem());
        File.WriteAllText(ClientKeyPath, clientKey.ExportPkcs8PrivateKeyPem());
    }

    public string Folder { get; }

    public X509Certificate2 Server { get; }

    public string CaPath => Path.Combine(Folder, "ca.pem");

    public string ClientCertPath => Path.Combine(Folder, "client.pem");

    public string ClientKeyPath => Path.Combine(Folder, "client.key");

    public void Dispose()
    {
        Server.Dispose();
        Directory.Delete(Folder, recursive: true);
    }
}
