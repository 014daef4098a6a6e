using System.Text;
using System.Text.Json;
using FalcoCheck.Runtime;

namespace FalcoCheck.Counters;

/// <summary>
/// Counter state of one instance on disk, so that cron-style one-shot runs still give correct counts.
/// One file per instance (named from its endpoint), held under an exclusive lock file for the whole run so two
/// overlapping runs take turns, and written atomically (temp file + rename).
/// </summary>
internal sealed class StateFile : IDisposable
{
    private const int FormatVersion = 1;
    private readonly FileStream _lock;

    private StateFile(string path, FileStream lockStream)
    {
        Path = path;
        _lock = lockStream;
    }

    public string Path { get; }

    /// <summary>File names of discovered pods' state start so: the daemon may delete them, never those of conf.d or cron.</summary>
    public const string DiscoveredPrefix = "falco_pod_";

    /// <summary>
    /// The state file name for an endpoint (or <c>endpoint#2</c> for its second instance): readable host and port plus
    /// a hash of the whole text; <see cref="DiscoveredPrefix"/> for an instance of a discovered pod.
    /// </summary>
    public static string FileNameFor(string stateKey, bool discovered = false)
    {
        var uri = new Uri(stateKey);
        var hash = Convert.ToHexStringLower(ManagedSha256.HashData(Encoding.UTF8.GetBytes(stateKey)))[..12];
        var host = new StringBuilder();
        foreach (var c in uri.Host)
        {
            host.Append(char.IsAsciiLetterOrDigit(c) || c == '.' || c == '-' ? c : '_');
        }

        return $"{(discovered ? DiscoveredPrefix : "falco_")}{host}_{uri.Port}_{hash}.json";
    }

    /// <summary>Takes the instance's lock, waiting while another run holds it, up to <paramref name="wait"/>.</summary>
    public static async Task<StateFile> AcquireAsync(string directory, string stateKey, bool discovered, TimeSpan wait, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        var path = System.IO.Path.Combine(directory, FileNameFor(stateKey, discovered));
        var deadline = DateTimeOffset.UtcNow + wait;
        while (true)
        {
            try
            {
                var stream = new FileStream(path + ".lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                return new StateFile(path, stream);
            }
            catch (IOException) when (DateTimeOffset.UtcNow < deadline)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Deletes the state file at <paramref name="path"/> and its lock unless another run holds the lock (then false):
    /// the start-up sweep of files nobody will load again.
    /// </summary>
    public static bool TryDeleteUnheld(string path)
    {
        try
        {
            using var held = new StateFile(path, new FileStream(path + ".lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            held.Delete();
            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>Loads the saved state into <paramref name="state"/>; a missing or unreadable file leaves it empty.</summary>
    /// <returns>Null when loaded (or absent), else why the file was ignored.</returns>
    public string? LoadInto(CounterState state)
    {
        if (!File.Exists(Path))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(Path));
            var root = document.RootElement;
            if (root.GetProperty("version").GetInt32() != FormatVersion)
            {
                return $"state file {Path} has an unknown format version; starting afresh";
            }

            var values = new List<KeyValuePair<string, CounterValue>>();
            foreach (var counter in root.GetProperty("counters").EnumerateArray())
            {
                values.Add(new(counter.GetProperty("k").GetString()!, new CounterValue(counter.GetProperty("v").GetDouble(), counter.GetProperty("t").GetInt64())));
            }

            string? identity = root.TryGetProperty("series_identity", out var written) && written.ValueKind == JsonValueKind.String ? written.GetString() : null;
            state.Restore(OptionalLong(root, "falco_start_ns"), OptionalLong(root, "falco_reload_ns"), OptionalLong(root, "last_run_ms"), values, identity);
            state.FileHashes.Clear();
            if (root.TryGetProperty("file_hashes", out var hashes))
            {
                foreach (var hash in hashes.EnumerateObject())
                {
                    state.FileHashes[hash.Name] = hash.Value.GetString()!;
                }
            }

            return null;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return $"state file {Path} is unreadable ({e.Message}); starting afresh";
        }
    }

    /// <summary>Writes the state atomically: readers see the old file or the new one, never half of one.</summary>
    public void Save(CounterState state)
    {
        var temp = Path + ".tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            json.WriteNumber("version", FormatVersion);
            WriteOptional(json, "falco_start_ns", state.FalcoStartNs);
            WriteOptional(json, "falco_reload_ns", state.FalcoReloadNs);
            WriteOptional(json, "last_run_ms", state.LastRunMs);
            if (state.SeriesIdentity is { } identity)
            {
                json.WriteString("series_identity", identity);
            }

            json.WriteStartArray("counters");
            foreach (var (key, value) in state.Values)
            {
                json.WriteStartObject();
                json.WriteString("k", key);
                json.WriteNumber("v", value.Value);
                json.WriteNumber("t", value.SeenMs);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartObject("file_hashes");
            foreach (var (file, hash) in state.FileHashes)
            {
                json.WriteString(file, hash);
            }

            json.WriteEndObject();
            json.WriteEndObject();
            json.Flush();
            stream.Flush(flushToDisk: true);
        }

        File.Move(temp, Path, overwrite: true);
    }

    /// <summary>Deletes the state file and, once released, its lock (the instance is gone for good).</summary>
    public void Delete()
    {
        File.Delete(Path);
        _lock.Dispose();
        File.Delete(Path + ".lock");
    }

    public void Dispose() => _lock.Dispose();

    private static long? OptionalLong(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt64() : null;

    private static void WriteOptional(Utf8JsonWriter json, string name, long? value)
    {
        if (value is { } v)
        {
            json.WriteNumber(name, v);
        }
    }
}
