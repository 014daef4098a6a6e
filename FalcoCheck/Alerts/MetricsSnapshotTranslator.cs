using System.Buffers;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace FalcoCheck.Alerts;

/// <summary>
/// Turns a Falco metrics snapshot alert (<c>metrics.output_rule: true</c>, rule <see cref="SnapshotFields.Rule"/>) into
/// the Prometheus text Falco's web server writes for the same metrics, so that the mapping stage reads it exactly as
/// it reads a scrape. Fixed fields come from <see cref="SnapshotFields"/>; families whose names carry a label value
/// (rules, per-CPU counters, buffer drops, libbpf programs, jemalloc, config and rules file hashes) are read here.
/// </summary>
/// <remarks>
/// Not a hot path: Falco writes one snapshot per event source per <c>metrics.interval</c> (15 minutes by default).
/// Values are copied as Falco wrote them (integers keep every digit) unless a unit changes, so counters line up with a
/// scrape's exactly. NOTE: two things a snapshot cannot carry: rule counters have only Falco's sanitized rule name
/// (<c>Read_sensitive_file_untrusted</c>, no priority, source or tag labels), and memory under
/// <c>convert_memory_to_mb</c> is rounded by Falco to 0.1 MiB.
/// </remarks>
internal static class MetricsSnapshotTranslator
{
    private const string F = "falcosecurity_falco_";
    private const string S = "falcosecurity_scap_";

    public static bool IsSnapshot(JsonElement alert) =>
        alert.ValueKind == JsonValueKind.Object && alert.TryGetProperty("rule", out JsonElement rule)
        && rule.ValueKind == JsonValueKind.String && rule.ValueEquals(SnapshotFields.Rule);

    /// <summary>The snapshot as Prometheus text, or null (with <paramref name="error"/>) when it has no <c>output_fields</c>.</summary>
    /// <param name="notices">Gets one line per field that was skipped: unknown, or of the wrong JSON type.</param>
    public static MetricsSnapshot? Translate(JsonElement alert, AlertContext context, string where, List<string> notices, out string? error)
    {
        if (!alert.TryGetProperty("output_fields", out JsonElement fields) || fields.ValueKind != JsonValueKind.Object)
        {
            error = $"{where}: Falco metrics snapshot without an output_fields object";
            return null;
        }

        error = null;
        var text = new ArrayBufferWriter<byte>(8192);
        string? version = Text(fields, "falco.version");
        string? source = Text(fields, "evt.source");
        string? engine = Text(fields, "scap.engine_name");
        WriteEngineAndSource(text, engine, source, SourceOnEngine(version));

        foreach (JsonProperty field in fields.EnumerateObject())
        {
            string name = field.Name;
            SnapshotField row = SnapshotFields.Find(name);
            string? problem = row.Kind switch
            {
                SnapshotFieldKind.Skipped => null,
                SnapshotFieldKind.Info => WriteInfo(text, row.Name, row.Label!, null, null, field.Value),
                SnapshotFieldKind.Gauge or SnapshotFieldKind.Counter => WriteNumber(text, row.Name, row.Kind, row.Scale, null, default, field.Value),
                _ => WriteFamily(text, name, field.Value),
            };

            if (problem is not null)
            {
                notices.Add($"{where}: metrics snapshot field '{name}' {problem}; skipped");
            }
        }

        string hostname = Text(fields, "evt.hostname") ?? Text(fields, "falco.hostname") ?? Text(alert, "hostname") ?? context.Hostname;
        return new MetricsSnapshot(text.WrittenSpan.ToArray(), where, hostname, source ?? string.Empty, Time(alert, fields, context.Clock), context);
    }

    /// <summary>Families whose field name carries a label value; null when written, else why the field was skipped.</summary>
    private static string? WriteFamily(ArrayBufferWriter<byte> text, string name, JsonElement value)
    {
        ReadOnlySpan<char> rest;
        if (TryAfter(name, "falco.rules.", out rest))
        {
            // Falco's sanitized rule name; the real one (with spaces) is not in the snapshot.
            return WriteNumber(text, F + "rules_matches_total", SnapshotFieldKind.Counter, 1, "rule_name", rest, value);
        }

        if (TryAfter(name, "falco.sha256_rules_file.", out rest))
        {
            return WriteInfo(text, F + "sha256_rules_files_info", "sha256", "file_name", FileName(rest), value);
        }

        if (TryAfter(name, "falco.sha256_config_file.", out rest))
        {
            return WriteInfo(text, F + "sha256_config_files_info", "sha256", "file_name", FileName(rest), value);
        }

        if (name.StartsWith("falco.host_netinfo.", StringComparison.Ordinal))
        {
            return null; // not exposed to Prometheus by Falco
        }

        if (TryAfter(name, "falco.jemalloc.", out rest))
        {
            // falco.jemalloc.<stat>_bytes, or _mb under convert_memory_to_mb; Falco declares them counters.
            bool mb = rest.EndsWith("_mb", StringComparison.Ordinal);
            if (!mb && !rest.EndsWith("_bytes", StringComparison.Ordinal))
            {
                return Unknown;
            }

            ReadOnlySpan<char> stat = rest[..rest.LastIndexOf('_')];
            return WriteNumber(text, string.Concat(F, "jemalloc_", stat, "_bytes"), SnapshotFieldKind.Counter, mb ? 1024 * 1024 : 1, null, default, value);
        }

        return TryAfter(name, "scap.", out rest) ? WriteScap(text, rest, value) : Unknown;
    }

    /// <summary>Kernel-side counters and libbpf program stats (<c>scap.</c>).</summary>
    private static string? WriteScap(ArrayBufferWriter<byte> text, ReadOnlySpan<char> rest, JsonElement value)
    {
        if (TrySuffixNumber(rest, "n_evts_cpu_", out ReadOnlySpan<char> cpu) || TrySuffixNumber(rest, "n_drops_cpu_", out cpu))
        {
            string family = rest.StartsWith("n_evts", StringComparison.Ordinal) ? S + "n_evts_cpu_total" : S + "n_drops_cpu_total";
            return WriteNumber(text, family, SnapshotFieldKind.Counter, 1, "cpu", cpu, value);
        }

        if (rest.StartsWith("n_drops_buffer_", StringComparison.Ordinal))
        {
            // n_drops_buffer_<drop>_<enter|exit> ─► n_drops_buffer_total{dir, drop} (labels in Falco's order).
            ReadOnlySpan<char> drop = rest["n_drops_buffer_".Length..];
            int cut = drop.LastIndexOf('_');
            ReadOnlySpan<char> dir = cut > 0 ? drop[(cut + 1)..] : default;
            if (dir is not ("enter" or "exit"))
            {
                return Unknown;
            }

            return WriteNumber(text, S + "n_drops_buffer_total", SnapshotFieldKind.Counter, 1, "dir", dir, value, "drop", drop[..cut]);
        }

        int dot = rest.IndexOf('.');
        if (dot > 0)
        {
            // libbpf: scap.<program>.run_cnt | run_time_ns | avg_time_ns
            ReadOnlySpan<char> program = rest[..dot];
            return rest[(dot + 1)..] switch
            {
                "run_cnt" => WriteNumber(text, string.Concat(S, program, "_run_cnt_total"), SnapshotFieldKind.Counter, 1, null, default, value),
                "run_time_ns" => WriteNumber(text, string.Concat(S, program, "_run_time_nanoseconds_total"), SnapshotFieldKind.Counter, 1, null, default, value),
                "avg_time_ns" => WriteNumber(text, string.Concat(S, program, "_avg_time_nanoseconds"), SnapshotFieldKind.Gauge, 1, null, default, value),
                _ => Unknown,
            };
        }

        // Every other libscap kernel counter (n_evts, n_drops, n_drops_scratch_map, n_preemptions, …) is monotonic.
        return rest.StartsWith("n_", StringComparison.Ordinal)
            ? WriteNumber(text, string.Concat(S, rest, "_total"), SnapshotFieldKind.Counter, 1, null, default, value)
            : Unknown;
    }

    private const string Unknown = "is not a Falco metric FalcoCheck knows (Falco 0.38 to 0.41)";

    /// <summary>0.41 moved the event source onto <c>scap_engine_name_info</c> and dropped <c>falco_evt_source_info</c>.</summary>
    private static bool SourceOnEngine(string? version)
    {
        if (version is null)
        {
            return true; // the newest layout; the mapper lands both on the same falco.* series anyway
        }

        ReadOnlySpan<char> v = version;
        int dot = v.IndexOf('.');
        if (dot < 0 || !int.TryParse(v[..dot], NumberStyles.None, CultureInfo.InvariantCulture, out int major))
        {
            return true;
        }

        v = v[(dot + 1)..];
        int end = v.IndexOfAnyExceptInRange('0', '9');
        return !int.TryParse(end < 0 ? v : v[..end], NumberStyles.None, CultureInfo.InvariantCulture, out int minor)
            || major > 0 || minor >= 41;
    }

    private static void WriteEngineAndSource(ArrayBufferWriter<byte> text, string? engine, string? source, bool sourceOnEngine)
    {
        if (engine is not null)
        {
            WriteHead(text, S + "engine_name_info", "gauge");
            WriteSeries(text, S + "engine_name_info", ("engine_name", engine), sourceOnEngine && source is not null ? ("evt_source", source) : default);
            text.Write(" 1\n"u8);
        }

        if (source is not null && (!sourceOnEngine || engine is null))
        {
            WriteHead(text, F + "evt_source_info", "gauge");
            WriteSeries(text, F + "evt_source_info", ("evt_source", source), default);
            text.Write(" 1\n"u8);
        }
    }

    private static string? WriteInfo(ArrayBufferWriter<byte> text, string family, string label, string? firstLabel, string? firstValue, JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            return "must be a string, got " + AlertNormalizer.Kind(value);
        }

        WriteHead(text, family, "gauge");
        WriteSeries(text, family, firstLabel is null ? (label, value.GetString()) : (firstLabel, firstValue), firstLabel is null ? default : (label, value.GetString()));
        text.Write(" 1\n"u8);
        return null;
    }

    private static string? WriteNumber(ArrayBufferWriter<byte> text, string family, SnapshotFieldKind kind, double scale,
        string? labelName, ReadOnlySpan<char> labelValue, JsonElement value, string? secondName = null, ReadOnlySpan<char> secondValue = default)
    {
        if (value.ValueKind != JsonValueKind.Number)
        {
            return "must be a number, got " + AlertNormalizer.Kind(value);
        }

        WriteHead(text, family, kind == SnapshotFieldKind.Counter ? "counter" : "gauge");
        WriteName(text, family);
        if (labelName is not null)
        {
            text.Write("{"u8);
            WriteLabel(text, labelName, labelValue);
            if (secondName is not null)
            {
                text.Write(","u8);
                WriteLabel(text, secondName, secondValue);
            }

            text.Write("}"u8);
        }

        text.Write(" "u8);
        if (scale == 1)
        {
            text.Write(JsonMarshal.GetRawUtf8Value(value)); // as Falco wrote it: integers keep every digit
        }
        else
        {
            double scaled = value.GetDouble() * scale;
            // Falco prints ratios with six decimals (std::to_string); rounding the same way gives the same value.
            scaled = scale < 1 ? Math.Round(scaled, 6) : scaled;
            Span<byte> digits = stackalloc byte[32];
            scaled.TryFormat(digits, out int written, "R", CultureInfo.InvariantCulture);
            text.Write(digits[..written]);
        }

        text.Write("\n"u8);
        return null;
    }

    private static void WriteHead(ArrayBufferWriter<byte> text, string family, string type)
    {
        text.Write("# TYPE "u8);
        WriteName(text, family);
        text.Write(" "u8);
        WriteName(text, type);
        text.Write("\n"u8);
    }

    private static void WriteSeries(ArrayBufferWriter<byte> text, string family, (string Name, string? Value) first, (string? Name, string? Value) second)
    {
        WriteName(text, family);
        text.Write("{"u8);
        WriteLabel(text, first.Name, first.Value);
        if (second.Name is not null)
        {
            text.Write(","u8);
            WriteLabel(text, second.Name, second.Value);
        }

        text.Write("}"u8);
    }

    /// <summary>Metric and label names: Falco's sanitizing (anything but [a-zA-Z0-9_:] becomes '_').</summary>
    private static void WriteName(ArrayBufferWriter<byte> text, ReadOnlySpan<char> name)
    {
        Span<byte> span = text.GetSpan(name.Length);
        for (int i = 0; i < name.Length; i++)
        {
            char c = name[i];
            span[i] = char.IsAsciiLetterOrDigit(c) || c is '_' or ':' ? (byte)c : (byte)'_';
        }

        text.Advance(name.Length);
    }

    /// <summary><c>name="value"</c> with the value escaped as the text format requires (backslash, quote, newline).</summary>
    private static void WriteLabel(ArrayBufferWriter<byte> text, string name, ReadOnlySpan<char> value)
    {
        WriteName(text, name);
        text.Write("=\""u8);
        int start = 0;
        for (int i = 0; i < value.Length; i++)
        {
            ReadOnlySpan<byte> escape = value[i] switch
            {
                '\\' => "\\\\"u8,
                '"' => "\\\""u8,
                '\n' => "\\n"u8,
                _ => default,
            };
            if (!escape.IsEmpty)
            {
                Encoding.UTF8.GetBytes(value[start..i], text);
                text.Write(escape);
                start = i + 1;
            }
        }

        Encoding.UTF8.GetBytes(value[start..], text);
        text.Write("\""u8);
    }

    /// <summary>
    /// Falco sanitizes the file name into the field name (<c>falco_rules.yaml</c> ─► <c>falco_rules_yaml</c>); the
    /// extension's dot is put back so the tag matches a scrape's. Other dots cannot be told from underscores.
    /// </summary>
    private static string FileName(ReadOnlySpan<char> sanitized)
    {
        foreach (string extension in (string[])["_yaml", "_yml", "_json"])
        {
            if (sanitized.Length > extension.Length && sanitized.EndsWith(extension, StringComparison.Ordinal))
            {
                return string.Concat(sanitized[..^extension.Length], ".", extension.AsSpan(1));
            }
        }

        return sanitized.ToString();
    }

    private static bool TryAfter(string name, string prefix, out ReadOnlySpan<char> rest)
    {
        bool match = name.Length > prefix.Length && name.StartsWith(prefix, StringComparison.Ordinal);
        rest = match ? name.AsSpan(prefix.Length) : default;
        return match;
    }

    private static bool TrySuffixNumber(ReadOnlySpan<char> rest, string prefix, out ReadOnlySpan<char> number)
    {
        number = rest.StartsWith(prefix, StringComparison.Ordinal) ? rest[prefix.Length..] : default;
        return !number.IsEmpty && !number.ContainsAnyExceptInRange('0', '9');
    }

    private static string? Text(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text ? text : null;

    /// <summary><c>evt.time</c> (nanoseconds); else the alert's <c>time</c>; else now.</summary>
    private static long Time(JsonElement alert, JsonElement fields, TimeProvider clock)
    {
        if (fields.TryGetProperty("evt.time", out JsonElement evtTime) && evtTime.ValueKind == JsonValueKind.Number
            && evtTime.TryGetInt64(out long nanos) && nanos > 0)
        {
            return nanos;
        }

        return Text(alert, "time") is { } time && FalcoTime.TryParseUnixNanos(time, out nanos)
            ? nanos
            : (clock.GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks * 100;
    }
}
