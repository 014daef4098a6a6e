namespace FalcoCheck.Bench;

/// <summary>
/// One shape of generated Falco payload, with the sizes of ../shared/bench/gen_payload.py's profiles: typical
/// (about 30 firing rules, 12 CPUs), large (2,000 rules, 128 CPUs of per-CPU counters), huge (rules added until the
/// payload is about 50 MB, 512 CPUs).
/// </summary>
/// <param name="Rules">Firing rules; null sizes the rule set to reach <paramref name="TargetBytes"/>.</param>
internal sealed record PayloadProfile(string Name, int? Rules, int Cpus, string[] RulesFiles, string[] ConfigFiles, int TargetBytes = 0)
{
    /// <summary>gen_payload.py's default seed, so that "the typical payload" means one set of bytes.</summary>
    public const int DefaultSeed = 20250513;

    public const string TypicalName = "typical";
    public const string LargeName = "large";
    public const string HugeName = "huge";

    public static readonly PayloadProfile Typical = new(
        TypicalName, 30, 12, ["falco_rules.yaml", "falco_rules.local.yaml"], ["falco.yaml"]);

    public static readonly PayloadProfile Large = new(
        LargeName, 2000, 128,
        ["falco_rules.yaml", "falco-incubating_rules.yaml", "falco-sandbox_rules.yaml", "falco_rules.local.yaml", .. Numbered("custom-{0:D2}_rules.yaml", 16)],
        ["falco.yaml", .. Numbered("config.d-{0:D2}.yaml", 4)]);

    public static readonly PayloadProfile Huge = new(
        HugeName, null, 512,
        ["falco_rules.yaml", "falco-incubating_rules.yaml", "falco-sandbox_rules.yaml", "falco_rules.local.yaml", .. Numbered("custom-{0:D3}_rules.yaml", 60)],
        ["falco.yaml", .. Numbered("config.d-{0:D2}.yaml", 8)],
        TargetBytes: 50_000_000);

    public static IReadOnlyList<PayloadProfile> All { get; } = [Typical, Large, Huge];

    /// <summary>
    /// The profiles' names, without building the profiles: every command line (`check` included) builds the
    /// `bench generate` argument that lists them, and the static fields above cost ~0.1 M instructions to build.
    /// </summary>
    public static string[] Names => [TypicalName, LargeName, HugeName];

    public static PayloadProfile? Find(string name)
    {
        foreach (var profile in All)
        {
            if (profile.Name == name)
            {
                return profile;
            }
        }

        return null;
    }

    private static string[] Numbered(string format, int count)
    {
        var names = new string[count];
        for (int i = 0; i < count; i++)
        {
            names[i] = string.Format(System.Globalization.CultureInfo.InvariantCulture, format, i);
        }

        return names;
    }
}
