#!/usr/bin/env bash
# A short AFL++ campaign against FalcoCheck's SharpFuzz harness (FalcoCheck.Fuzz). Not part of .ci/run: fuzzing
# is open-ended, so it runs on demand. Every crash or hang it finds is replayed at the end and must become a
# regression test in FalcoCheck.Tests/Hardening before it is fixed.
#
#   fuzz/run.sh [text|config|all] [SECONDS]     default: all 600 (the time is split between the targets)
#
# text    metrics bodies: TextParser (Prometheus and OpenMetrics, lenient and strict) and FalcoMapper
# config  configuration files: ConfigLoader.LoadCheck and LoadAgent, then InstanceSettingsFactory
#
# Needs afl-fuzz (Debian: apt-get install afl++; installed here when run as root) and the SharpFuzz.CommandLine
# dotnet tool (restored from fuzz/.config/dotnet-tools.json). Results: fuzz/out/findings/TARGET/default/
# (crashes/, hangs/, fuzzer_stats). A second run resumes the previous campaign.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
out=${FUZZ_OUT:-$here/out}
which=${1:-all}
seconds=${2:-600}

case $which in
  text|config) targets=("$which") ;;
  all) targets=(text config) ;;
  *) echo "usage: fuzz/run.sh [text|config|all] [SECONDS]" >&2; exit 2 ;;
esac

if ! command -v afl-fuzz >/dev/null 2>&1; then
  if [ "$(id -u)" -eq 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends afl++ >/dev/null
  else
    echo "afl-fuzz not found: apt-get install afl++" >&2; exit 2
  fi
fi

(cd "$here" && dotnet tool restore >/dev/null)

# A fresh publish every time: sharpfuzz rewrites the assemblies in place and refuses to instrument twice.
# The instrumented assemblies only run under afl-fuzz (outside it their coverage writes hit no shared memory), so
# crashes are replayed with a second, plain copy.
rm -rf "$out/bin" "$out/plain"
dotnet publish "$root/FalcoCheck.Fuzz/FalcoCheck.Fuzz.csproj" -c Release -o "$out/plain" -nologo -v quiet
cp -r "$out/plain" "$out/bin"
for dll in falcocheck.dll YamlDotNet.dll; do
  (cd "$here" && dotnet sharpfuzz "$out/bin/$dll")
done

# Seeds: the real Falco payloads cut into pieces of 40 lines (AFL works best on small inputs), hand-written edge
# cases, and the shipped configuration examples.
rm -rf "$out/seeds"
mkdir -p "$out/seeds/text" "$out/seeds/config"
for fixture in "$root"/samples/demo/*.prom.txt; do
  split -l 40 -d "$fixture" "$out/seeds/text/$(basename "$fixture" .prom.txt)."
done
cp "$here"/seeds/text/* "$out/seeds/text/"
cp "$root/conf.d/falco.d/conf.yaml.example" "$out/seeds/config/conf.yaml.example"
cp "$root/samples/demo/conf.d/falco.d/conf.yaml" "$out/seeds/config/demo-conf.yaml"
cp "$root/samples/demo/falcocheck.yaml" "$out/seeds/config/demo-falcocheck.yaml"
cp "$root/samples/falcocheck.yaml" "$out/seeds/config/falcocheck.yaml"
cp "$here"/seeds/config/* "$out/seeds/config/"

# AFL++ in a container: dotnet is not AFL-instrumented (SharpFuzz speaks the fork-server protocol itself), crash
# dumps may be piped elsewhere, the CPU is shared, and no terminal UI.
export AFL_SKIP_BIN_CHECK=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_SKIP_CPUFREQ=1 AFL_NO_AFFINITY=1 AFL_NO_UI=1 AFL_AUTORESUME=1
per_target=$((seconds / ${#targets[@]}))
status=0
for target in "${targets[@]}"; do
  findings="$out/findings/$target"
  mkdir -p "$findings"
  echo "fuzzing $target for $per_target s (findings in $findings)"
  afl-fuzz -i "$out/seeds/$target" -o "$findings" -x "$here/$target.dict" -t 5000 -m none -V "$per_target" \
    -- dotnet "$out/bin/falcocheck-fuzz.dll" "$target" >"$findings/afl.log" 2>&1 || {
      echo "afl-fuzz failed; the end of its log:" >&2; tail -20 "$findings/afl.log" >&2; status=1; continue; }

  stats="$findings/default/fuzzer_stats"
  field() { awk -F' *: *' -v k="$1" '$1 == k { print $2 }' "$stats"; }
  echo "$target: run_time $(field run_time) s, execs $(field execs_done), $(field execs_per_sec)/s, crashes $(field saved_crashes), hangs $(field saved_hangs), corpus $(field corpus_count)"
  for kind in crashes hangs; do
    if compgen -G "$findings/default/$kind/id:*" >/dev/null; then
      echo "$target: $kind found; replaying them:"
      dotnet "$out/plain/falcocheck-fuzz.dll" replay "$target" "$findings/default/$kind" || true
      status=1
    fi
  done
done
exit "$status"
