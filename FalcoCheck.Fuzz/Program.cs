using SharpFuzz;

namespace FalcoCheck.Fuzz;

/// <summary>
/// <c>falcocheck-fuzz text|config</c> runs one target under afl-fuzz (input from AFL's shared memory or stdin;
/// run once on stdin without afl-fuzz). <c>falcocheck-fuzz replay text|config PATH...</c> runs files or folders
/// of inputs once each, outside afl-fuzz, and prints every unexpected exception: how a crash found by AFL is
/// reproduced and turned into a regression test.
/// </summary>
internal static class Program
{
    private const string Usage = "usage: falcocheck-fuzz text|config\n       falcocheck-fuzz replay text|config PATH...";

    public static int Main(string[] args)
    {
        if (args.Length == 1 && Target(args[0]) is { } target)
        {
            // Out of process: a StackOverflowException or an exit kills the child, not the fork server, and AFL
            // records it as a crash instead of aborting the campaign.
            Fuzzer.OutOfProcess.Run(stream => target(ReadAll(stream)));
            return 0;
        }

        if (args.Length >= 3 && args[0] == "replay" && Target(args[1]) is { } replayed)
        {
            return Replay.Run(replayed, args[2..], Console.Out);
        }

        Console.Error.WriteLine(Usage);
        return 2;
    }

    private static Action<byte[]>? Target(string name) => name switch
    {
        "text" => TextTarget.Run,
        "config" => ConfigTarget.Run,
        _ => null,
    };

    private static byte[] ReadAll(Stream stream)
    {
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }
}
