using System.Security.Cryptography;
using FalcoCheck.Bench;
using FalcoCheck.Mapping;
using FalcoCheck.Parsing;

namespace FalcoCheck.Tests.Bench;

/// <summary>The seeded payloads: the same bytes for everyone, the shapes of ../shared/bench/gen_payload.py, valid Falco text.</summary>
internal sealed class PayloadGeneratorTests
{
    // gen_payload.py's counts for the same profiles (its "series" column): the structure is ported, so they agree.
    public static IEnumerable<TestCaseData> Profiles()
    {
        yield return new TestCaseData(PayloadProfile.Typical, 122, 30).SetName("typical: 122 series, 30 rules");
        yield return new TestCaseData(PayloadProfile.Large, 2346, 2000).SetName("large: 2,346 series, 2,000 rules");
    }

    [Test]
    public void The_names_list_is_the_profiles_names_in_order()
    {
        // `bench generate` accepts PayloadProfile.Names (so no command builds the profiles); a new profile must be there.
        Assert.That(PayloadProfile.Names, Is.EqualTo(PayloadProfile.All.Select(p => p.Name)));
        Assert.That(PayloadProfile.Names.Select(PayloadProfile.Find), Has.All.Not.Null);
    }

    [TestCaseSource(nameof(Profiles))]
    public void A_profile_has_gen_payload_py_series_and_parses_without_an_invalid_line(PayloadProfile profile, int series, int rules)
    {
        var body = PayloadGenerator.Render(profile);

        var parser = new TextParser(body);
        var samples = 0;
        var ruleSamples = 0;
        while (parser.Read())
        {
            if (parser.Kind == EntryKind.Sample)
            {
                samples++;
                ruleSamples += parser.MetricName.SequenceEqual("falcosecurity_falco_rules_matches_total"u8) ? 1 : 0;
            }
        }

        var invalid = parser.InvalidLines;
        Assert.Multiple(() =>
        {
            Assert.That(invalid, Is.Zero);
            Assert.That(samples, Is.EqualTo(series));
            Assert.That(ruleSamples, Is.EqualTo(rules));
        });
    }

    [Test]
    public void The_same_seed_gives_the_same_bytes_and_another_seed_other_bytes()
    {
        var first = SHA256.HashData(PayloadGenerator.Render(PayloadProfile.Typical, seed: 7));
        var again = SHA256.HashData(PayloadGenerator.Render(PayloadProfile.Typical, seed: 7));
        var other = SHA256.HashData(PayloadGenerator.Render(PayloadProfile.Typical, seed: 8));

        Assert.That(again, Is.EqualTo(first));
        Assert.That(other, Is.Not.EqualTo(first));
    }

    [Test]
    public void The_default_typical_payload_is_pinned()
    {
        // Changing the generator changes every published figure: this hash makes that a visible decision.
        var hash = Convert.ToHexStringLower(SHA256.HashData(PayloadGenerator.Render(PayloadProfile.Typical)));

        Assert.That(hash, Is.EqualTo(PinnedTypicalSha256));
    }

    [Test]
    public void A_size_target_is_met_within_two_percent()
    {
        // The huge profile's sizing, on a 2 MB target so that the test stays fast.
        var profile = PayloadProfile.Huge with { Name = "sized", TargetBytes = 2_000_000 };

        var body = PayloadGenerator.Render(profile);

        Assert.That(body.Length, Is.InRange(1_960_000, 2_040_000));
    }

    [Test]
    public void Every_generated_rule_maps_to_falco_rules_matches_count()
    {
        var mapper = new FalcoMapper(new MappingOptions());

        mapper.Map(PayloadGenerator.Render(PayloadProfile.Typical), TextFormat.Prometheus);

        var rules = mapper.Samples.Count(s => s.Context.Name == "falco.rules.matches.count");
        Assert.That(rules, Is.EqualTo(30));
    }

    private const string PinnedTypicalSha256 = "88701dd81acd90dc836469c9b4393a8dd893dccdb7419d66222900f3658f4a40";
}
