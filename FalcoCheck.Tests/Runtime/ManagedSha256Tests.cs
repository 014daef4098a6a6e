using System.Security.Cryptography;
using System.Text;
using FalcoCheck.Runtime;

namespace FalcoCheck.Tests.Runtime;

/// <summary>
/// The managed SHA-256 that names state files, spool folders and schedule offsets must give exactly the bytes
/// <c>SHA256.HashData</c> (OpenSSL) gives, or existing state files and spools would no longer be found.
/// </summary>
internal sealed class ManagedSha256Tests
{
    private static IEnumerable<TestCaseData> Vectors()
    {
        // FIPS 180-4 examples (NIST CSRC "SHA256.pdf", "SHA2_Additional.pdf").
        yield return new TestCaseData("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855").SetName("empty");
        yield return new TestCaseData("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad").SetName("abc, one block");
        yield return new TestCaseData("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1").SetName("448 bits: the length needs a second block");
    }

    [TestCaseSource(nameof(Vectors))]
    public void Published_vectors(string text, string expected) =>
        Assert.That(Convert.ToHexStringLower(ManagedSha256.HashData(Encoding.ASCII.GetBytes(text))), Is.EqualTo(expected));

    [Test]
    public void Same_bytes_as_OpenSSL_for_every_length_across_three_blocks()
    {
        var random = new Random(16);
        for (var length = 0; length <= 200; length++)
        {
            var input = new byte[length];
            random.NextBytes(input);
            Assert.That(ManagedSha256.HashData(input), Is.EqualTo(SHA256.HashData(input)), $"{length} bytes");
        }
    }

    [Test]
    public void Same_bytes_as_OpenSSL_for_a_large_input()
    {
        var input = new byte[1_000_003];
        new Random(7).NextBytes(input);
        Assert.That(ManagedSha256.HashData(input), Is.EqualTo(SHA256.HashData(input)));
    }

    [Test]
    public void A_short_destination_is_refused() =>
        Assert.That(() => ManagedSha256.HashData("abc"u8, new byte[31]), Throws.InstanceOf<ArgumentOutOfRangeException>());
}
