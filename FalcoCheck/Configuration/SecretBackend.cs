using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace FalcoCheck.Configuration;

/// <summary>
/// Runs <c>secret_backend_command</c> with the Datadog Agent's protocol: the handles go to its standard input as
/// <c>{"version": "1.0", "secrets": [...]}</c>, and its standard output answers
/// <c>{"handle": {"value": "...", "error": null}, ...}</c>. As the Agent does, the executable must belong to the
/// user running FalcoCheck and give no rights to group or others, so nobody else can swap it for one that leaks.
/// </summary>
internal static class SecretBackend
{
    /// <summary>The outcome for one handle: its value, or why there is none (never containing a value).</summary>
    public readonly record struct Answer(string? Value, string? Error);

    /// <summary>
    /// Fetches every handle in one run. Returns null with <paramref name="error"/> set when the run as a whole
    /// failed; otherwise an answer for each handle (missing handles answer with an error).
    /// </summary>
    public static Dictionary<string, Answer>? Fetch(SecretBackendConfig config, IReadOnlyCollection<string> handles, out string? error)
    {
        error = CheckExecutable(config.Command);
        if (error is not null)
        {
            return null;
        }

        byte[] output;
        try
        {
            output = Run(config, Request(handles), out error);
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or IOException or InvalidOperationException)
        {
            error = $"could not run {config.Command}: {e.Message}";
            return null;
        }

        return error is null ? Parse(output, handles, out error) : null;
    }

    private static byte[] Request(IReadOnlyCollection<string> handles) => Encoding.UTF8.GetBytes(
        new JsonObject { ["version"] = "1.0", ["secrets"] = new JsonArray([.. handles.Select(handle => JsonValue.Create(handle))]) }.ToJsonString());

    private static byte[] Run(SecretBackendConfig config, byte[] request, out string? error)
    {
        error = null;
        var start = new ProcessStartInfo(config.Command, config.Arguments)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };

        using var process = Process.Start(start) ?? throw new InvalidOperationException("the process did not start");
        // Standard error is read (so a chatty backend cannot block on a full pipe) and dropped: it may hold secrets.
        Task drainErrors = process.StandardError.BaseStream.CopyToAsync(Stream.Null);
        Task<(byte[] Bytes, bool TooLarge)> readOutput = ReadBoundedAsync(process.StandardOutput.BaseStream, config.OutputMaxSize);
        try
        {
            process.StandardInput.BaseStream.Write(request);
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The backend exited without reading its input; its exit code says what went wrong.
        }

        if (!process.WaitForExit(config.Timeout))
        {
            process.Kill(entireProcessTree: true);
            error = $"{config.Command} did not answer within {config.Timeout.TotalSeconds:0.###} s (secret_backend_timeout)";
            return [];
        }

        process.WaitForExit();
        var (bytes, tooLarge) = readOutput.GetAwaiter().GetResult();
        drainErrors.GetAwaiter().GetResult();
        if (tooLarge)
        {
            error = $"{config.Command} wrote more than {config.OutputMaxSize} bytes (secret_backend_output_max_size)";
        }
        else if (process.ExitCode != 0)
        {
            error = $"{config.Command} exited with code {process.ExitCode}";
        }

        return bytes;
    }

    private static async Task<(byte[] Bytes, bool TooLarge)> ReadBoundedAsync(Stream stream, int limit)
    {
        using var buffer = new MemoryStream();
        byte[] chunk = new byte[8192];
        bool tooLarge = false;
        int read;
        while ((read = await stream.ReadAsync(chunk).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                tooLarge = true;
                continue; // keep draining so the backend can exit
            }

            buffer.Write(chunk, 0, read);
        }

        return (buffer.ToArray(), tooLarge);
    }

    private static Dictionary<string, Answer>? Parse(byte[] output, IReadOnlyCollection<string> handles, out string? error)
    {
        error = null;
        var answers = new Dictionary<string, Answer>(StringComparer.Ordinal);
        try
        {
            using var document = JsonDocument.Parse(output);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                error = "the secret backend's answer is not a JSON object";
                return null;
            }

            foreach (string handle in handles)
            {
                answers[handle] = !document.RootElement.TryGetProperty(handle, out JsonElement entry)
                    ? new Answer(null, "the secret backend gave no answer for it")
                    : ReadEntry(entry);
            }
        }
        catch (JsonException e)
        {
            // Only the position: the exception's message quotes the text, which may hold a secret.
            error = $"the secret backend's answer is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1})";
            return null;
        }

        return answers;
    }

    private static Answer ReadEntry(JsonElement entry)
    {
        if (entry.ValueKind != JsonValueKind.Object)
        {
            return new Answer(null, "the secret backend's answer for it is not an object with value and error");
        }

        if (entry.TryGetProperty("error", out JsonElement failure) && failure.ValueKind == JsonValueKind.String
            && failure.GetString() is { Length: > 0 } message)
        {
            return new Answer(null, $"the secret backend says: {message}");
        }

        return entry.TryGetProperty("value", out JsonElement value) && value.ValueKind == JsonValueKind.String
            ? new Answer(value.GetString(), null)
            : new Answer(null, "the secret backend's answer for it has no string value");
    }

    /// <summary>The Agent's rules for the executable: a regular file, owned by us, executable by us, private.</summary>
    private static string? CheckExecutable(string path)
    {
        if (!File.Exists(path))
        {
            return $"{path} does not exist";
        }

        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        byte[] buffer = new byte[StatxSize];
        byte[] name = Encoding.UTF8.GetBytes(path + "\0");
        if (Statx(AtFdCwd, name, 0, StatxMode | StatxUid, buffer) != 0)
        {
            return $"cannot read the permissions of {path} (errno {Marshal.GetLastPInvokeError()})";
        }

        uint owner = BitConverter.ToUInt32(buffer, StatxUidOffset);
        var mode = (UnixFileMode)(BitConverter.ToUInt16(buffer, StatxModeOffset) & 0xFFF);
        uint self = GetEffectiveUserId();
        if (owner != self)
        {
            return $"{path} must belong to the user running falcocheck (uid {self}), not uid {owner}";
        }

        const UnixFileMode GroupOrOther = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
            | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;
        if ((mode & GroupOrOther) != 0)
        {
            return $"{path} must give no rights to group or others (chmod 700); its mode is {Convert.ToString((int)mode, 8)}";
        }

        return (mode & UnixFileMode.UserExecute) == 0 ? $"{path} is not executable by its owner (chmod 700)" : null;
    }

    // statx(2) has one layout on every architecture, unlike stat(2): stx_uid at 20, stx_mode at 28, 256 bytes.
    private const int StatxSize = 256;
    private const int StatxUidOffset = 20;
    private const int StatxModeOffset = 28;
    private const int AtFdCwd = -100;
    private const uint StatxMode = 0x2;
    private const uint StatxUid = 0x8;

    [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
    private static extern int Statx(int directory, byte[] path, int flags, uint mask, byte[] buffer);

    [DllImport("libc", EntryPoint = "geteuid")]
    private static extern uint GetEffectiveUserId();
}
