using System.CommandLine;
using System.Globalization;
using FalcoCheck.Bench;

namespace FalcoCheck.Cli;

/// <summary>
/// <c>falcocheck bench [--warmup N] [--stage parse|map|encode|pipeline|parse-openmetrics|parse-openmetrics-strict] PAYLOAD ITERATIONS</c>: times one stage in
/// process and prints one JSON line in the shape of the peers in ../shared/bench, so that
/// <c>BENCH_EXTRA_PEERS='falcocheck|falcocheck bench' run_peers.sh</c> runs it beside them.
/// <c>falcocheck bench generate [--out DIR] [--seed N] [PROFILE...]</c> writes the seeded payloads.
/// </summary>
internal static class BenchCommand
{
    /// <summary>Exit status when the payload cannot be read or benched (the peers' contract: an error line and non-zero).</summary>
    public const int ExitFailed = 2;

    private static readonly string[] StageNames = ["parse", "map", "encode", "pipeline", "parse-openmetrics", "parse-openmetrics-strict"];

    public static Command Create()
    {
        var warmup = new Option<int>("--warmup") { Description = "Untimed runs before the timed loop", DefaultValueFactory = _ => 1 };
        warmup.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 0)
            {
                result.AddError("--warmup must be 0 or more");
            }
        });
        var stage = new Option<string>("--stage", "-s")
        {
            Description = "parse (TextParser), map (FalcoMapper), encode (Datadog v2 series), pipeline (parse + map + counts + Datadog v2 + gzip); parse-openmetrics, parse-openmetrics-strict (the payload rendered as OpenMetrics 1.0, read without and with the strict checks)",
            DefaultValueFactory = _ => "parse",
        };
        stage.AcceptOnlyFromAmong(StageNames);
        var payload = new Argument<FileInfo>("PAYLOAD") { Description = "Prometheus text file, read once before timing" };
        var iterations = new Argument<int>("ITERATIONS") { Description = "Timed runs of the stage" };
        iterations.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 1)
            {
                result.AddError("ITERATIONS must be 1 or more");
            }
        });

        var command = new Command("bench", "Time parsing, mapping, encoding or the whole scrape of a payload in process; prints one JSON line")
        {
            CreateGenerate(),
        };
        command.Options.Add(warmup);
        command.Options.Add(stage);
        command.Arguments.Add(payload);
        command.Arguments.Add(iterations);
        command.SetAction(parse =>
        {
            var file = parse.GetValue(payload)!;
            var name = Path.GetFileNameWithoutExtension(file.Name);
            using var stdout = Console.OpenStandardOutput();
            var line = new System.Buffers.ArrayBufferWriter<byte>();
            byte[] body;
            try
            {
                body = File.ReadAllBytes(file.FullName);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                BenchResult.WriteError(name, e.Message, line);
                stdout.Write(line.WrittenSpan);
                return ExitFailed;
            }

            var result = BenchRunner.Run(ParseStage(parse.GetValue(stage)), name, body, parse.GetValue(warmup), parse.GetValue(iterations));
            result.WriteTo(line);
            stdout.Write(line.WrittenSpan);
            return 0;
        });
        return command;
    }

    private static Command CreateGenerate()
    {
        var output = new Option<DirectoryInfo>("--out", "-o") { Description = "Folder to write PROFILE.prom into", DefaultValueFactory = _ => new DirectoryInfo("bench/payloads") };
        var seed = new Option<int>("--seed") { Description = "Seed; the same seed gives the same bytes", DefaultValueFactory = _ => PayloadProfile.DefaultSeed };
        var profiles = new Argument<string[]>("PROFILE") { Description = "typical, large, huge (default: all three)", Arity = ArgumentArity.ZeroOrMore };
        profiles.AcceptOnlyFromAmong(PayloadProfile.Names);
        var command = new Command("generate", "Write seeded Falco payloads: typical (30 rules, 12 CPUs), large (2,000 rules, 128 CPUs), huge (~50 MB)");
        command.Options.Add(output);
        command.Options.Add(seed);
        command.Arguments.Add(profiles);
        command.SetAction(parse =>
        {
            var folder = parse.GetValue(output)!;
            folder.Create();
            var names = parse.GetValue(profiles) is { Length: > 0 } chosen ? chosen : PayloadProfile.Names;
            foreach (var name in names)
            {
                var bytes = PayloadGenerator.Render(PayloadProfile.Find(name)!, parse.GetValue(seed));
                var path = Path.Combine(folder.FullName, name + ".prom");
                File.WriteAllBytes(path, bytes);
                var series = CountSamples(bytes);
                Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-8} {bytes.Length,12} bytes {series,9} series  {path}"));
            }

            return 0;
        });
        return command;
    }

    private static BenchStage ParseStage(string? name) => name switch
    {
        "map" => BenchStage.Map,
        "encode" => BenchStage.Encode,
        "pipeline" => BenchStage.Pipeline,
        "parse-openmetrics" => BenchStage.ParseOpenMetrics,
        "parse-openmetrics-strict" => BenchStage.ParseOpenMetricsStrict,
        _ => BenchStage.Parse,
    };

    /// <summary>Sample lines, as gen_payload.py counts them: non-empty lines not starting with '#'.</summary>
    private static int CountSamples(ReadOnlySpan<byte> body)
    {
        var count = 0;
        foreach (var range in body.Split((byte)'\n'))
        {
            var line = body[range];
            if (!line.IsEmpty && line[0] != '#')
            {
                count++;
            }
        }

        return count;
    }
}
