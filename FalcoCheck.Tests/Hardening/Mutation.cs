using CsCheck;

namespace FalcoCheck.Tests.Hardening;

/// <summary>One byte-level edit of a body, placed by a fraction of its length so that it shrinks well.</summary>
internal sealed record Mutation(int Kind, double Where, int Length, byte Value)
{
    // Bytes that matter to the formats, plus arbitrary ones.
    private static readonly Gen<byte> Interesting = Gen.Frequency(
        (3, Gen.OneOf("\n\r \t#{}=,\"\\.+-eE0123456789"u8.ToArray())),
        (1, Gen.Byte));

    public static readonly Gen<Mutation> Generator =
        from kind in Gen.Int[0, 5]
        from position in Gen.Double[0, 1]
        from length in Gen.Int[1, 64]
        from value in Interesting
        select new Mutation(kind, position, length, value);

    public static byte[] Apply(byte[] body, Mutation[] edits)
    {
        var bytes = new List<byte>(body);
        foreach (var edit in edits)
        {
            var at = (int)(edit.Where * bytes.Count);
            var length = Math.Min(edit.Length, bytes.Count - at);
            switch (edit.Kind)
            {
                case 0 when at < bytes.Count:
                    bytes[at] = edit.Value;
                    break;
                case 1:
                    bytes.Insert(at, edit.Value);
                    break;
                case 2 when length > 0:
                    bytes.RemoveRange(at, length);
                    break;
                case 3 when length > 0:
                    bytes.InsertRange(at, bytes.GetRange(at, length));
                    break;
                case 4 when at < bytes.Count:
                    bytes[at] ^= (byte)(1 << (edit.Value & 7));
                    break;
                case 5:
                    bytes.InsertRange(at, Enumerable.Repeat(edit.Value, edit.Length));
                    break;
            }
        }

        return [.. bytes];
    }
}
