using System.Security.Authentication;

namespace FalcoCheck.Scraping;

/// <summary>
/// One socket handler for every scraper whose connection settings are equal, so instances that scrape the same
/// host and port share its connection pool instead of keeping one idle connection each (and the handler, its pool
/// and its cleaning timer per instance). Only for settings that are plain values (connect timeout, proxy from the
/// environment or none, certificate checks on or off, redirects, TLS versions): a handler built from a CA or
/// client-certificate file, a cipher list or a configured proxy stays the instance's own, so a reload that changes
/// those files or proxies reads them again. The last scraper to let go disposes the handler.
/// </summary>
internal static class SharedScrapeHandlers
{
    private static readonly Lock Gate = new();
    private static readonly Dictionary<Key, Entry> Handlers = [];

    /// <summary>A handler for these options: shared when they allow it, else a new one only this caller owns.</summary>
    public static Lease Rent(ScraperOptions options)
    {
        if (options.TlsCaCert is not null || options.TlsCert is not null || options.TlsPrivateKey is not null || options.Proxy is not null
            || options.TlsCiphers is { Count: > 0 })
        {
            var own = ScrapeHandler.Create(options);
            return new Lease(own, () => own.Dispose());
        }

        var key = new Key(options.ConnectTimeout, options.SkipProxy, options.TlsVerify, options.AllowRedirects, options.TlsProtocols);
        lock (Gate)
        {
            if (!Handlers.TryGetValue(key, out var entry))
            {
                entry = new Entry(ScrapeHandler.Create(options));
                Handlers.Add(key, entry);
            }

            entry.Users++;
            return new Lease(entry.Handler, () => Release(key, entry));
        }
    }

    private static void Release(Key key, Entry entry)
    {
        lock (Gate)
        {
            if (--entry.Users > 0)
            {
                return;
            }

            Handlers.Remove(key);
        }

        entry.Handler.Dispose();
    }

    /// <summary>Every setting <see cref="ScrapeHandler.Create"/> reads, except those that keep a handler unshared.</summary>
    private readonly record struct Key(TimeSpan ConnectTimeout, bool SkipProxy, bool TlsVerify, bool AllowRedirects, SslProtocols TlsProtocols);

    private sealed class Entry(SocketsHttpHandler handler)
    {
        public SocketsHttpHandler Handler { get; } = handler;

        public int Users { get; set; }
    }

    /// <summary>The use of one handler by one scraper; disposing it gives the handler back once.</summary>
    internal sealed class Lease(SocketsHttpHandler handler, Action release) : IDisposable
    {
        private Action? _release = release;

        public SocketsHttpHandler Handler { get; } = handler;

        public void Dispose() => Interlocked.Exchange(ref _release, null)?.Invoke();
    }
}
