using BenchmarkDotNet.Running;

namespace FalcoCheck.Benchmarks;

/// <summary>
/// Entry point: <c>dotnet run -c Release --project FalcoCheck.Benchmarks -- --filter '*' --job short</c> (what
/// bench/run.sh runs; README "Performance" has the figures).
/// </summary>
internal static class Program
{
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
