using System.Security.Cryptography;
using System.Text;
using FalcoCheck.Configuration;
using FalcoCheck.Sinks;
using FalcoCheck.Sinks.Delivery;
using FalcoCheck.Sinks.RemoteWrite;

namespace FalcoCheck.Tests.Sinks;

/// <summary>
/// Each metrics sink's disk spool has a folder of its own: a spool replayed to another backend (another tenant of the
/// same URL) would send one tenant's series to another.
/// </summary>
internal sealed class SpoolFolderTests
{
    private static readonly SourcePosition At = new("falcocheck.yaml", 1, 1);

    private static string Folder(string url, string? user = null, params (string Name, string Value)[] headers)
    {
        var uri = new Uri(url);
        var endpoint = new HttpEndpointOptions
        {
            Url = uri,
            DisplayName = EndpointRedactor.Redact(uri),
            Username = user,
            Headers = headers.ToDictionary(h => h.Name, h => new Secret(h.Value), StringComparer.OrdinalIgnoreCase),
        };
        var config = new RemoteWriteSinkConfig(At, new RemoteWriteOptions { Endpoint = endpoint });
        return Path.GetFileName(SinkFactory.SpoolFolder("/state", config, "prometheus_remote_write (" + endpoint.DisplayName + ")"));
    }

    [Test]
    public void Two_tenants_of_one_url_spool_apart()
    {
        const string Url = "http://mimir:9009/api/v1/push";

        Assert.That(new[]
        {
            Folder(Url, null, ("X-Scope-OrgID", "team-a")),
            Folder(Url, null, ("X-Scope-OrgID", "team-b")),
            Folder(Url + "?tenant=a"),
            Folder(Url + "?tenant=b"),
            Folder(Url, "user-a"),
            Folder(Url, "user-b"),
            Folder(Url),
        }, Is.Unique);
        Assert.That(Folder(Url, null, ("X-Scope-OrgID", "team-a")), Is.EqualTo(Folder(Url, null, ("x-scope-orgid", "team-a"))), "the same backend keeps its folder");
    }

    [Test]
    public void A_plain_url_keeps_the_folder_name_it_had()
    {
        // Named from the sink's name alone, as before tenants were told apart: spooled data survives the upgrade.
        string name = "prometheus_remote_write (http://vm:8428/api/v1/write)";
        string expected = "prometheus_remote_write-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(name)))[..12];

        Assert.That(Folder("http://vm:8428/api/v1/write"), Is.EqualTo(expected));
    }
}
