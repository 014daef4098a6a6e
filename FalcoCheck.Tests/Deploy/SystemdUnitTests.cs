using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using FalcoCheck.Configuration;
using FalcoCheck.Tests.Configuration;
using static FalcoCheck.Tests.Deploy.DeployFiles;

namespace FalcoCheck.Tests.Deploy;

/// <summary>
/// samples/deploy/systemd: the unit passes <c>systemd-analyze verify</c>, scores as hardened in
/// <c>systemd-analyze security</c>, and agrees with the falcocheck.yaml it ships (paths, state, stop timeout).
/// </summary>
internal sealed partial class SystemdUnitTests
{
    private static string Unit => Path.Combine(Systemd, "falcocheck.service");

    /// <summary>systemd-analyze's scale runs 0 (locked down) to 10 (exposed); below 2 it prints "OK".</summary>
    private const double MaxExposure = 2.0;

    [Test]
    public async Task The_unit_verifies()
    {
        using var dir = new TempDir();
        var unit = Executable(dir);

        var (exit, output) = await SystemdAnalyzeAsync("verify", unit);

        Assert.That(exit, Is.Zero, output);
        Assert.That(output.Trim(), Is.Empty, "no warning either: a misspelt setting is only a warning");
    }

    [Test]
    public async Task Verify_catches_a_broken_unit()
    {
        using var dir = new TempDir();
        var unit = dir.Write("falcocheck.service", File.ReadAllText(Executable(dir)).Replace("Type=notify", "Type=notifyy", StringComparison.Ordinal));

        var (_, output) = await SystemdAnalyzeAsync("verify", unit);

        Assert.That(output, Does.Contain("Failed to parse service type"));
    }

    [Test]
    public async Task The_unit_is_hardened()
    {
        using var dir = new TempDir();

        var (exit, output) = await SystemdAnalyzeAsync("security", "--offline=yes", Executable(dir));

        Assert.That(exit, Is.Zero, output);
        var match = Exposure().Match(output);
        Assert.That(match.Success, Is.True, output);
        Assert.That(double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), Is.LessThan(MaxExposure), output);
        var settings = Settings();
        Assert.Multiple(() =>
        {
            Assert.That(settings["DynamicUser"], Is.EqualTo("yes"));
            Assert.That(settings["ProtectSystem"], Is.EqualTo("strict"));
            Assert.That(settings["NoNewPrivileges"], Is.EqualTo("yes"));
            Assert.That(settings["Type"], Is.EqualTo("notify"), "the host notifies readiness (Microsoft.Extensions.Hosting.Systemd)");
            Assert.That(settings["ExecReload"], Does.Contain("-HUP"), "systemctl reload re-reads the configuration");
        });
    }

    [Test]
    public void The_unit_and_its_configuration_agree()
    {
        var settings = Settings();
        var exec = settings["ExecStart"].Split(' ');
        var configPath = exec[Array.IndexOf(exec, "--config") + 1];
        using var dir = new TempDir();
        var agentFile = dir.Write("falcocheck.yaml", File.ReadAllText(Path.Combine(Systemd, "falcocheck.yaml")));

        var agent = ConfigLoader.LoadAgent(agentFile, _ => null);
        var check = ConfigLoader.LoadCheck(Path.Combine(Systemd, "conf.d", "falco.d", "conf.yaml"), _ => null);

        Assert.Multiple(() =>
        {
            Assert.That(configPath, Is.EqualTo("/etc/falcocheck/falcocheck.yaml"));
            Assert.That(agent.ConfdPath, Is.EqualTo("/etc/falcocheck/conf.d"), "ConfigurationDirectory=falcocheck");
            Assert.That(agent.StateDir, Is.EqualTo("/var/lib/" + settings["StateDirectory"]), "DynamicUser may write only its StateDirectory");
            Assert.That(TimeSpan.Parse("00:00:" + settings["TimeoutStopSec"].TrimEnd('s'), CultureInfo.InvariantCulture), Is.GreaterThan(agent.ShutdownTimeout));
            Assert.That(IPAddressIsLoopback(agent.Status.Listen.Address), Is.True);
            Assert.That(check.Errors.Select(e => e.ToString()), Is.Empty);
            Assert.That(check.Instances.Single().OpenMetricsEndpoint.ToString(), Is.EqualTo("http://127.0.0.1:8765/metrics"));
        });
    }

    private static bool IPAddressIsLoopback(System.Net.IPAddress address) => System.Net.IPAddress.IsLoopback(address);

    /// <summary>A copy of the unit whose ExecStart names a binary that exists here (verify checks it is executable).</summary>
    private static string Executable(TempDir dir) =>
        dir.Write("falcocheck.service", File.ReadAllText(Unit).Replace("/usr/local/bin/falcocheck", "/usr/bin/env", StringComparison.Ordinal));

    private static Dictionary<string, string> Settings()
    {
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(Unit).Where(l => l.Contains('=', StringComparison.Ordinal) && !l.StartsWith('#')))
        {
            var equals = line.IndexOf('=', StringComparison.Ordinal);
            settings[line[..equals]] = line[(equals + 1)..];
        }

        return settings;
    }

    private static async Task<(int Exit, string Output)> SystemdAnalyzeAsync(params string[] args)
    {
        var binary = new[] { "/usr/bin/systemd-analyze", "/bin/systemd-analyze" }.FirstOrDefault(File.Exists);
        if (binary is null)
        {
            Assert.Fail("systemd-analyze is not installed: apt-get install systemd (test.sh installs it)");
        }

        var start = new ProcessStartInfo(binary!) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await errors + await output);
    }

    [GeneratedRegex(@"Overall exposure level for \S+: ([0-9.]+)")]
    private static partial Regex Exposure();
}
