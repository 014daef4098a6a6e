using System.Text;

namespace FalcoCheck.Discovery;

/// <summary>
/// Who discovery is to the API: a bearer token (fixed, or a file re-read every <see cref="TokenFileRefresh"/>, as
/// client-go does, because projected service account tokens rotate), or a username and password. Client
/// certificates are TLS, not a header (<see cref="KubernetesConnection"/>). The secret is only ever put in the
/// Authorization header: this type has no ToString of its values, and errors name the file, never its content.
/// </summary>
internal sealed class KubernetesCredentials
{
    /// <summary>client-go's cached file token source re-reads the file after a minute.</summary>
    public static readonly TimeSpan TokenFileRefresh = TimeSpan.FromMinutes(1);

    private readonly string? _fixed;
    private readonly string? _tokenFile;
    private readonly TimeProvider _clock;
    private readonly Lock _lock = new();
    private string? _fileToken;
    private DateTimeOffset _readAt;

    private KubernetesCredentials(string? fixedHeader, string? tokenFile, TimeProvider clock)
    {
        _fixed = fixedHeader;
        _tokenFile = tokenFile;
        _clock = clock;
    }

    public static KubernetesCredentials None { get; } = new(null, null, TimeProvider.System);

    public static KubernetesCredentials Token(string token) => new("Bearer " + token.Trim(), null, TimeProvider.System);

    public static KubernetesCredentials Basic(string username, string password) =>
        new("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(username + ":" + password)), null, TimeProvider.System);

    /// <summary>A token file, read now (so a missing file is an error at start) and again once a minute.</summary>
    public static KubernetesCredentials TokenFile(string path, TimeProvider clock)
    {
        var credentials = new KubernetesCredentials(null, path, clock);
        credentials.Authorization();
        return credentials;
    }

    /// <summary>The Authorization header value, or null for none.</summary>
    public string? Authorization()
    {
        if (_tokenFile is null)
        {
            return _fixed;
        }

        lock (_lock)
        {
            var now = _clock.GetUtcNow();
            if (_fileToken is null || now - _readAt >= TokenFileRefresh)
            {
                try
                {
                    string token = File.ReadAllText(_tokenFile).Trim();
                    if (token.Length == 0)
                    {
                        throw new IOException($"the token file {_tokenFile} is empty");
                    }

                    _fileToken = token;
                    _readAt = now;
                }
                catch (Exception e) when (_fileToken is not null && e is IOException or UnauthorizedAccessException)
                {
                    // The kubelet rewrites the file atomically, so a failed read is rare; the last token is still
                    // valid for a while (bound tokens live an hour and are renewed at 80%), so keep it and retry later.
                    _readAt = now;
                }
            }

            return "Bearer " + _fileToken;
        }
    }
}
