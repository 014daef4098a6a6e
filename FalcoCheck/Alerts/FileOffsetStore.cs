using System.Buffers;
using System.Text;
using System.Text.Json;
using FalcoCheck.Runtime;

namespace FalcoCheck.Alerts;

/// <summary>
/// The read position of a followed file, kept in <c>&lt;state_dir&gt;/alerts/files/&lt;hash of path&gt;.json</c> as
/// <c>{"path","fingerprint","offset"}</c> and written by rename, so a restart resumes at the last alert queued.
/// The fingerprint (a hash of the file's first line, as Vector's <c>checksum</c> fingerprint) tells whether the
/// file at the path is still the one the offset belongs to; .NET has no portable inode.
/// </summary>
internal sealed class FileOffsetStore(string directory, string path)
{
    private readonly string _file = Path.Combine(directory,
        Convert.ToHexStringLower(ManagedSha256.HashData(Encoding.UTF8.GetBytes(path)))[..16] + ".json");

    public (string? Fingerprint, long Offset)? Load()
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(File.ReadAllBytes(_file));
            JsonElement root = document.RootElement;
            return (root.GetProperty("fingerprint").GetString(), root.GetProperty("offset").GetInt64());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            // No state (first start) or an unreadable one: start the file from the beginning.
            return null;
        }
    }

    public void Save(string? fingerprint, long offset)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("path", path);
            json.WriteString("fingerprint", fingerprint);
            json.WriteNumber("offset", offset);
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
