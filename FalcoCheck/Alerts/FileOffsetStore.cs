using System.Buffers;
using System.Text;
using System.Text.Json;
using FalcoCheck.Runtime;

namespace FalcoCheck.Alerts;

/// <summary>
/// The read position of a followed file, kept in <c>&lt;state_dir&gt;/alerts/files/&lt;hash of path&gt;.json</c> as
/// <c>{"path","fingerprint","offset"}</c> (and <c>"retiring":{"fingerprint","offset"}</c> while a rotated file is still
/// read) and written by rename, so a restart resumes at the last alert queued.
/// The fingerprint (a hash of the file's first line, as Vector's <c>checksum</c> fingerprint) tells whether the
/// file at the path is still the one the offset belongs to; .NET has no portable inode.
/// </summary>
internal sealed class FileOffsetStore(string directory, string path)
{
    private readonly string _file = Path.Combine(directory,
        Convert.ToHexStringLower(ManagedSha256.HashData(Encoding.UTF8.GetBytes(path)))[..16] + ".json");

    /// <summary>
    /// The saved position, and the rotated file's while it was still being read (its rest is read first after a
    /// restart, when <c>PATH.1</c> still has that fingerprint); null on the first start or for an unreadable state.
    /// </summary>
    public (string? Fingerprint, long Offset, string? RetiringFingerprint, long RetiringOffset)? Load()
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(File.ReadAllBytes(_file));
            JsonElement root = document.RootElement;
            (string? fingerprint, long offset) retiring = root.TryGetProperty("retiring", out JsonElement old) && old.ValueKind == JsonValueKind.Object
                ? (old.GetProperty("fingerprint").GetString(), old.GetProperty("offset").GetInt64())
                : (null, 0);
            return (root.GetProperty("fingerprint").GetString(), root.GetProperty("offset").GetInt64(), retiring.fingerprint, retiring.offset);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or KeyNotFoundException or InvalidOperationException
            or FormatException)
        {
            // No state (first start) or an unreadable one: start the file from the beginning.
            return null;
        }
    }

    public void Save(string? fingerprint, long offset, string? retiringFingerprint = null, long retiringOffset = 0)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("path", path);
            json.WriteString("fingerprint", fingerprint);
            json.WriteNumber("offset", offset);
            if (retiringFingerprint is not null)
            {
                json.WriteStartObject("retiring");
                json.WriteString("fingerprint", retiringFingerprint);
                json.WriteNumber("offset", retiringOffset);
                json.WriteEndObject();
            }

            json.WriteEndObject();
        }

        Directory.CreateDirectory(directory);
        string temporary = _file + ".tmp";
        File.WriteAllBytes(temporary, buffer.WrittenSpan.ToArray());
        File.Move(temporary, _file, overwrite: true);
    }

    /// <summary>Hash of the first line (up to 4 KiB); null while the file has no complete first line.</summary>
    public static string? Fingerprint(FileStream stream)
    {
        const int MaxFirstLine = 4096;
        Span<byte> head = stackalloc byte[MaxFirstLine];
        int read = RandomAccess.Read(stream.SafeFileHandle, head, 0);
        int newline = head[..read].IndexOf((byte)'\n');
        if (newline < 0 && read < MaxFirstLine)
        {
            return null;
        }

        return Convert.ToHexStringLower(ManagedSha256.HashData(head[..(newline < 0 ? read : newline)]))[..32];
    }
}
