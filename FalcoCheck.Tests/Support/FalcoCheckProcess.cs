using System.Diagnostics;

namespace FalcoCheck.Tests.Support;

/// <summary>Runs the built falcocheck program as its own process, as cron or a user would.</summary>
internal static class FalcoCheckProcess
{
    public static async Task<(int Exit, string Output, string Errors)> RunAsync(params string[] args)
    {
        var program = Path.Combine(TestContext.CurrentContext.TestDirectory, "falcocheck.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(program);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await errors);
    }
}
