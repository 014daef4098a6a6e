using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace FalcoCheck.Configuration;

/// <summary>
/// Expands <c>%%env_NAME%%</c> in string scalars, the one template variable the Datadog Agent resolves in any
/// check config (https://docs.datadoghq.com/agent/guide/template_variables/). Other <c>%%…%%</c> names are
/// Autodiscovery variables that only make sense inside an Agent; we name them instead of sending
/// "%%host%%" to a server.
/// </summary>
internal static partial class EnvExpander
{
    private const string EnvPrefix = "env_";

    public static bool HasReference(string text) => text.Contains("%%", StringComparison.Ordinal) && Reference().IsMatch(text);

    /// <summary>Returns the expanded text, or null after recording an error for each bad reference.</summary>
    public static string? Expand(ConfigReadContext ctx, YamlScalarNode node, string path, out bool usedEnv)
    {
        usedEnv = false;
        if (ctx.UnresolvedSecrets.TryGetValue(node, out string? unresolved))
        {
            ctx.Error(node, path, unresolved);
            return null;
        }

        string text = node.Value ?? string.Empty;
        if (!text.Contains("%%", StringComparison.Ordinal) || ctx.ResolvedSecrets.Contains(node))
        {
            return text;
        }

        bool ok = true;
        bool used = false;
        string result = Reference().Replace(text, match =>
        {
            string name = match.Groups[1].Value;
            if (!name.StartsWith(EnvPrefix, StringComparison.Ordinal) || name.Length == EnvPrefix.Length)
            {
                // Only the Agent's own variable names are quoted back: any other "%%…%%" may be part of a password.
                ctx.Error(node, path, IsAutodiscoveryName(name)
                    ? $"'%%{name}%%' is an Autodiscovery template variable, which FalcoCheck does not resolve; only %%env_NAME%% is supported"
                    : "a %%…%% reference FalcoCheck does not resolve (the text is not repeated: it may be a secret); only %%env_NAME%% is supported");
                ok = false;
                return match.Value;
            }

            string variable = name[EnvPrefix.Length..];
            string? value = ctx.GetEnv(variable);
            if (value is null)
            {
                ctx.Error(node, path, $"environment variable '{variable}' is not set (used as %%{name}%%)");
                ok = false;
                return match.Value;
            }

            used = true;
            return value;
        });
        usedEnv = used;
        return ok ? result : null;
    }

    /// <summary>The Datadog Agent's template variables (host, port, pid, hostname, kube_*, extra_*…).</summary>
    private static bool IsAutodiscoveryName(string name) =>
        name is "host" or "port" or "pid" or "hostname" or EnvPrefix
        || name.StartsWith("host_", StringComparison.Ordinal) || name.StartsWith("port_", StringComparison.Ordinal)
        || name.StartsWith("kube_", StringComparison.Ordinal) || name.StartsWith("extra_", StringComparison.Ordinal);

    // Environment variable names: letters, digits and underscores, as POSIX shells accept them.
    [GeneratedRegex("%%([A-Za-z0-9_]+)%%", RegexOptions.CultureInvariant)]
    private static partial Regex Reference();
}
