using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using FalcoCheck.Configuration;
using YamlDotNet.RepresentationModel;

namespace FalcoCheck.Discovery;

/// <summary>
/// Reads the current context of a kubeconfig file (https://kubernetes.io/docs/reference/config-api/kubeconfig.v1/)
/// into a <see cref="KubernetesConnection"/>: the cluster's <c>server</c>, <c>certificate-authority</c>(<c>-data</c>),
/// <c>insecure-skip-tls-verify</c>, <c>tls-server-name</c> and <c>proxy-url</c> (else the environment's proxy, see
/// <see cref="KubernetesProxy"/>); the user's <c>token</c> or
/// <c>tokenFile</c> (re-read as it rotates), <c>client-certificate</c>(<c>-data</c>) with <c>client-key</c>(<c>-data</c>),
/// or <c>username</c>/<c>password</c>. Relative paths resolve against the file's directory, as in client-go.
/// Credential plugins (<c>exec</c>, <c>auth-provider</c>) and impersonation are refused with an error naming the file,
/// the place and the user entry, rather than connecting as someone else. Errors never quote a credential.
/// </summary>
internal static class KubeconfigReader
{
    private static readonly string[] Unsupported = ["exec", "auth-provider", "as", "as-uid", "as-groups", "as-user-extra"];

    /// <param name="getEnv">The environment, for HTTPS_PROXY / NO_PROXY when the cluster has no <c>proxy-url</c>.</param>
    public static KubernetesConnection Read(string path, TimeProvider clock, Func<string, string?>? getEnv = null)
    {
        string text = KubernetesConnection.ReadText(path, "the kubeconfig");
        var ctx = new ConfigReadContext(path, static _ => null);
        if (!YamlDocumentLoader.TryLoad(ctx, text, out var document))
        {
            throw new KubernetesConnectionException(string.Join("; ", ctx.ErrorsInFileOrder().Select(e => e.ToString())));
        }

        if (document is not YamlMappingNode root)
        {
            throw new KubernetesConnectionException($"{path}: expected a kubeconfig (a mapping with clusters, users, contexts and current-context)");
        }

        string current = Scalar(ctx, root, "current-context", "current-context")
            ?? throw Error(ctx, root, "current-context", "not set; the kubeconfig must name the context to use");
        var (contextPath, context) = Entry(ctx, root, "contexts", "context", current);
        string clusterName = Scalar(ctx, context, "cluster", contextPath + ".cluster") ?? throw Error(ctx, context, contextPath, "names no cluster");
        var (clusterPath, cluster) = Entry(ctx, root, "clusters", "cluster", clusterName);
        string? userName = Scalar(ctx, context, "user", contextPath + ".user");
        var (userPath, user) = userName is null ? (string.Empty, new YamlMappingNode()) : Entry(ctx, root, "users", "user", userName);

        foreach (var (node, _) in user.Children)
        {
            if (node is YamlScalarNode { Value: { } key } && Unsupported.Contains(key, StringComparer.Ordinal))
            {
                throw Error(ctx, node, userPath + "." + key, key switch
                {
                    "exec" => $"user '{userName}' gets its credentials from an exec plugin, which FalcoCheck does not run; give FalcoCheck a user with a token, tokenFile or client certificate (for example a ServiceAccount token)",
                    "auth-provider" => $"user '{userName}' gets its credentials from an auth-provider plugin, which FalcoCheck does not support; give FalcoCheck a user with a token, tokenFile or client certificate (for example a ServiceAccount token)",
                    _ => $"user '{userName}' asks for impersonation, which FalcoCheck does not support; give FalcoCheck a user with pods get/list/watch of its own",
                });
            }
        }

        var server = Server(ctx, cluster, clusterPath);
        return new KubernetesConnection
        {
            Server = server,
            CertificateAuthorities = Authorities(ctx, cluster, clusterPath),
            InsecureSkipTlsVerify = Scalar(ctx, cluster, "insecure-skip-tls-verify", clusterPath + ".insecure-skip-tls-verify") is { } skip
                && (bool.TryParse(skip, out bool insecure) ? insecure : throw Error(ctx, Value(cluster, "insecure-skip-tls-verify")!, clusterPath + ".insecure-skip-tls-verify", "expected true or false")),
            TlsServerName = Scalar(ctx, cluster, "tls-server-name", clusterPath + ".tls-server-name"),
            Proxy = KubernetesProxy.For(server, ProxyUrl(ctx, cluster, clusterPath), getEnv ?? (static _ => null)),
            ClientCertificate = ClientCertificate(ctx, user, userPath, userName),
            Credentials = Credentials(ctx, user, userPath, userName, clock),
        };
    }

    private static Uri Server(ConfigReadContext ctx, YamlMappingNode cluster, string path)
    {
        string server = Scalar(ctx, cluster, "server", path + ".server") ?? throw Error(ctx, cluster, path, "has no server");
        if (!Uri.TryCreate(server, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
        {
            throw Error(ctx, Value(cluster, "server")!, path + ".server", "expected an http or https URL");
        }

        // Request paths are relative ("api/v1/pods"), so a server behind a path prefix keeps its prefix.
        return uri.AbsolutePath.EndsWith('/') ? uri : new Uri(uri + "/");
    }

    /// <summary>The cluster's <c>proxy-url</c>: http, https or socks5, as client-go takes. Never quoted: it may carry a password.</summary>
    private static Uri? ProxyUrl(ConfigReadContext ctx, YamlMappingNode cluster, string path)
    {
        if (Scalar(ctx, cluster, "proxy-url", path + ".proxy-url") is not { } text)
        {
            return null;
        }

        return KubernetesProxy.IsProxyUrl(text, out var url)
            ? url
            : throw Error(ctx, Value(cluster, "proxy-url")!, path + ".proxy-url", "expected an http, https or socks5 URL such as http://proxy:3128");
    }

    private static X509Certificate2Collection? Authorities(ConfigReadContext ctx, YamlMappingNode cluster, string path)
    {
        if (Scalar(ctx, cluster, "certificate-authority-data", path + ".certificate-authority-data") is { } data)
        {
            string pem = Decode(ctx, cluster, "certificate-authority-data", path, data);
            return Wrap(ctx, Value(cluster, "certificate-authority-data")!, path + ".certificate-authority-data", () => KubernetesConnection.ParseCertificates(pem, "the certificate-authority-data"));
        }

        if (Scalar(ctx, cluster, "certificate-authority", path + ".certificate-authority") is { } file)
        {
            return Wrap(ctx, Value(cluster, "certificate-authority")!, path + ".certificate-authority", () => KubernetesConnection.ReadCertificates(ctx.ResolvePath(file), "the certificate authority"));
        }

        return null;
    }

    private static X509Certificate2? ClientCertificate(ConfigReadContext ctx, YamlMappingNode user, string path, string? name)
    {
        string? certificate = Pem(ctx, user, "client-certificate", path);
        string? key = Pem(ctx, user, "client-key", path);
        if (certificate is null && key is null)
        {
            return null;
        }

        if (certificate is null || key is null)
        {
            throw Error(ctx, user, path, $"user '{name}' has a client {(certificate is null ? "key" : "certificate")} without its {(certificate is null ? "certificate" : "key")}; both are needed");
        }

        try
        {
            return X509Certificate2.CreateFromPem(certificate, key);
        }
        catch (CryptographicException e)
        {
            throw Error(ctx, user, path, $"user '{name}': the client certificate and key do not load together ({e.Message})");
        }
    }

    private static KubernetesCredentials Credentials(ConfigReadContext ctx, YamlMappingNode user, string path, string? name, TimeProvider clock)
    {
        string? tokenFile = Scalar(ctx, user, "tokenFile", path + ".tokenFile");
        string? token = Scalar(ctx, user, "token", path + ".token");
        string? username = Scalar(ctx, user, "username", path + ".username");
        string? password = Scalar(ctx, user, "password", path + ".password");
        if ((tokenFile is not null || token is not null) && (username is not null || password is not null))
        {
            throw Error(ctx, user, path, $"user '{name}' has both a token and a username/password; keep one (as kubectl requires)");
        }

        if (tokenFile is not null)
        {
            // As client-go: the file wins over an inline token, and is read again as it rotates.
            string file = ctx.ResolvePath(tokenFile);
            try
            {
                return KubernetesCredentials.TokenFile(file, clock);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw Error(ctx, Value(user, "tokenFile")!, path + ".tokenFile", $"user '{name}': cannot read the token file {file}: {e.Message}");
            }
        }

        if (token is not null)
        {
            return KubernetesCredentials.Token(token);
        }

        return username is not null || password is not null ? KubernetesCredentials.Basic(username ?? string.Empty, password ?? string.Empty) : KubernetesCredentials.None;
    }

    /// <summary>The PEM text of <c>KEY-data</c> (base64) or of the file <c>KEY</c> names; null when neither is set.</summary>
    private static string? Pem(ConfigReadContext ctx, YamlMappingNode user, string key, string path)
    {
        if (Scalar(ctx, user, key + "-data", path + "." + key + "-data") is { } data)
        {
            return Decode(ctx, user, key + "-data", path, data);
        }

        if (Scalar(ctx, user, key, path + "." + key) is not { } file)
        {
            return null;
        }

        try
        {
            return File.ReadAllText(ctx.ResolvePath(file));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Error(ctx, Value(user, key)!, path + "." + key, $"cannot read {ctx.ResolvePath(file)}: {e.Message}");
        }
    }

    private static string Decode(ConfigReadContext ctx, YamlMappingNode map, string key, string path, string base64)
    {
        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(base64));
        }
        catch (FormatException)
        {
            throw Error(ctx, Value(map, key)!, path + "." + key, "expected base64-encoded PEM");
        }
    }

    private static T Wrap<T>(ConfigReadContext ctx, YamlNode node, string path, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (KubernetesConnectionException e)
        {
            throw Error(ctx, node, path, e.Message);
        }
    }

    /// <summary>The entry of <c>clusters</c>/<c>contexts</c>/<c>users</c> named <paramref name="name"/>, and its path.</summary>
    private static (string Path, YamlMappingNode Body) Entry(ConfigReadContext ctx, YamlMappingNode root, string list, string body, string name)
    {
        if (Value(root, list) is YamlSequenceNode entries)
        {
            for (int i = 0; i < entries.Children.Count; i++)
            {
                if (entries.Children[i] is YamlMappingNode entry && Value(entry, "name") is YamlScalarNode { Value: { } entryName } && entryName == name)
                {
                    string path = $"{list}[{i}].{body}";
                    return Value(entry, body) switch
                    {
                        YamlMappingNode map => (path, map),
                        null => (path, new YamlMappingNode()),
                        var other => throw Error(ctx, other, path, "expected a mapping"),
                    };
                }
            }
        }

        throw Error(ctx, Value(root, list) ?? root, list, $"no entry named '{name}', which the current context needs");
    }

    private static YamlNode? Value(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    private static string? Scalar(ConfigReadContext ctx, YamlMappingNode map, string key, string path) => Value(map, key) switch
    {
        null => null,
        YamlScalarNode { Value: { Length: > 0 } text } => text,
        YamlScalarNode => null,
        var other => throw Error(ctx, other, path, "expected a single value"),
    };

    private static KubernetesConnectionException Error(ConfigReadContext ctx, YamlNode node, string path, string message) =>
        new(new ConfigError(ctx.At(node), path, message).ToString());
}
