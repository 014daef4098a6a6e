using System.Reflection;

namespace FalcoCheck.Sinks;

/// <summary>FalcoCheck's version, for User-Agent headers and OTLP's instrumentation scope.</summary>
internal static class ThisAssembly
{
    public static string Version { get; } =
        typeof(ThisAssembly).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";
}
