#!/usr/bin/env bash
# Reproduces every figure of README "Performance" (issue 7) on this machine. Never run by the tests or CI.
#
# Usage: bench/run.sh [STEP...]     (default: every step, in this order)
#   deps      Debian packages: clang + zlib1g-dev (NativeAOT), hyperfine; the peers' setup (../shared/bench/setup.sh)
#   aot       dotnet publish FalcoCheck -c Release -r linux-x64 -p:PublishAot=true; binary size; trim/AOT warnings
#   payloads  falcocheck bench generate (typical, large, huge) + Datadog's fixture as datadog.prom
#   stages    falcocheck bench --stage parse|map|encode|pipeline on every payload (NativeAOT binary)
#   peers     ../shared/bench/run_peers.sh --oneshot with BENCH_EXTRA_PEERS='falcocheck|<aot> bench'
#   startup   hyperfine: the NativeAOT binary's start-up (--version) and a one-iteration bench
#   oneshot   hyperfine: `falcocheck check` of a local endpoint (falcocheck replay), whole process
#   openmetrics  falcocheck bench --stage parse-openmetrics|parse-openmetrics-strict (and parse, Prometheus text),
#             alternating, 5 rounds per payload: what the OpenMetrics 1.0 strict checks cost (README "OpenMetrics")
#   bdn       BenchmarkDotNet: FalcoCheck.Benchmarks, every suite (BENCH_BDN_FILTER to narrow), --job short
#
# Everything lands in artifacts/bench/ (gitignored): results/*.jsonl, the peers' tables, BenchmarkDotNet reports.
# Figures are noisy on a shared machine: the load average is printed with each step; compare within one run.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$ROOT/artifacts/bench"
AOT_DIR="$OUT/aot"
AOT="$AOT_DIR/falcocheck"
PAYLOADS="$OUT/payloads"
PEERS_SRC="${BENCH_PEERS_DIR:-$ROOT/../shared/bench}"
PEERS="$OUT/peers"
RESULTS="$OUT/results"
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$OUT" "$RESULTS"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

say() { printf '\n== %s (load average: %s) ==\n' "$*" "$(cut -d' ' -f1-3 /proc/loadavg)"; }
need_aot() { [ -x "$AOT" ] || { echo "no $AOT: run bench/run.sh aot first" >&2; exit 69; }; }

step_deps() {
  say "deps"
  local pkgs=(clang zlib1g-dev hyperfine) missing=()
  for p in "${pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if ((${#missing[@]})); then
    local sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
  fi
  echo "clang: $(clang --version | head -n 1)"
  # The peers' folder is read-only in ../shared: set it up in a copy.
  [ -d "$PEERS_SRC" ] || { echo "no peers at $PEERS_SRC (set BENCH_PEERS_DIR)" >&2; exit 69; }
  mkdir -p "$PEERS"
  cp -r "$PEERS_SRC"/. "$PEERS"/
  chmod -R u+w "$PEERS"
  "$PEERS/setup.sh"
}

step_aot() {
  say "aot"
  local log="$OUT/publish.log"
  dotnet publish "$ROOT/FalcoCheck" -c Release -r linux-x64 -p:PublishAot=true -o "$AOT_DIR" 2>&1 | tee "$log" | tail -n 3
  local warnings
  warnings=$(grep -cE "warning (IL|CS)[0-9]+" "$log" || true)
  echo "{\"aot_binary\":\"$AOT\",\"bytes\":$(stat -c %s "$AOT"),\"trim_aot_warnings\":$warnings}" | tee "$RESULTS/aot-$STAMP.json"
}

step_payloads() {
  say "payloads"
  need_aot
  "$AOT" bench generate --out "$PAYLOADS"
  cp "$ROOT/samples/demo/falco-0.40.0_two-sources.prom.txt" "$PAYLOADS/datadog.prom"
  sha256sum "$PAYLOADS"/*.prom
}

# Iterations so that one run takes about 2 s: probe with a short run first.
iterations_for() {
  local stage="$1" payload="$2" probe
  probe=$("$AOT" bench --warmup 1 --stage "$stage" "$payload" 3 | python3 -c 'import json,sys; print(json.load(sys.stdin)["seconds_total"]/3)')
  python3 -c "import math; print(max(3, min(200000, math.ceil(2.0 / max($probe, 1e-7)))))"
}

step_stages() {
  say "stages (NativeAOT, warm-up 20, ~2 s per run)"
  need_aot
  local file="$RESULTS/stages-$STAMP.jsonl"
  for p in datadog typical large huge; do
    for s in parse map encode pipeline; do
      n=$(iterations_for "$s" "$PAYLOADS/$p.prom")
      "$AOT" bench --warmup 20 --stage "$s" "$PAYLOADS/$p.prom" "$n" | tee -a "$file"
    done
  done
  python3 - "$file" <<'EOF'
import json, sys
print("%-8s %-9s %10s %9s %10s %10s %9s %9s" % ("payload", "stage", "bytes", "MB/s", "us/iter", "cpu us/it", "alloc B", "series"))
for line in open(sys.argv[1]):
    r = json.loads(line)
    print("%-8s %-9s %10d %9.0f %10.1f %10.1f %9d %9d" % (r["payload"], r["stage"], r["bytes"], r["mb_per_s"], r["us_per_parse"],
          r["cpu_seconds_total"] / r["iterations"] * 1e6, r["allocated_bytes_per_iteration"], r["series"]))
EOF
}

step_openmetrics() {
  say "openmetrics (NativeAOT, strict checks vs none on the same OpenMetrics body, 5 alternating rounds)"
  need_aot
  local file="$RESULTS/openmetrics-$STAMP.jsonl"
  for p in datadog typical large; do
    local n
    n=$(iterations_for parse-openmetrics-strict "$PAYLOADS/$p.prom")
    for _ in 1 2 3 4 5; do
      for s in parse parse-openmetrics parse-openmetrics-strict; do
        "$AOT" bench --warmup 20 --stage "$s" "$PAYLOADS/$p.prom" "$n" >> "$file"
      done
    done
  done
  python3 - "$file" <<'EOF'
import json, statistics, sys
runs = {}
for line in open(sys.argv[1]):
    r = json.loads(line)
    runs.setdefault((r["payload"], r["stage"]), []).append(r)
print("%-8s %-25s %9s %9s %10s %10s %8s" % ("payload", "stage", "bytes", "MB/s", "MB/cpu-s", "us/iter", "alloc B"))
for (payload, stage), rs in runs.items():
    mbs = statistics.median(r["mb_per_s"] for r in rs)
    cpu = statistics.median(r["bytes"] * r["iterations"] / r["cpu_seconds_total"] / 1e6 for r in rs)
    us = statistics.median(r["us_per_parse"] for r in rs)
    print("%-8s %-25s %9d %9.0f %10.0f %10.1f %8d" % (payload, stage, rs[0]["bytes"], mbs, cpu, us, max(r["allocated_bytes_per_iteration"] for r in rs)))
EOF
}

step_peers() {
  say "peers (run_peers.sh --target 3 --oneshot)"
  need_aot
  [ -x "$PEERS/bin/peer_go_expfmt" ] || step_deps
  BENCH_EXTRA_PEERS="falcocheck|$AOT bench" "$PEERS/run_peers.sh" --target 3 --oneshot \
    "$PAYLOADS/datadog.prom" "$PAYLOADS/typical.prom" "$PAYLOADS/large.prom" "$PAYLOADS/huge.prom" \
    | tee "$RESULTS/peers-$STAMP.txt" || true
}

step_startup() {
  say "startup (hyperfine)"
  need_aot
  hyperfine -N --style basic --warmup 3 --runs 30 --export-json "$RESULTS/startup-$STAMP.json" \
    "$AOT --version" "$AOT bench --warmup 0 $PAYLOADS/typical.prom 1"
}

step_oneshot() {
  say "oneshot: falcocheck check of a local endpoint (hyperfine)"
  need_aot
  local dir port pid
  dir=$(mktemp -d)
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  "$AOT" replay --port "$port" >/dev/null 2>&1 &
  pid=$!
  trap 'kill "$pid" 2>/dev/null || true; rm -rf "$dir"' RETURN
  mkdir -p "$dir/conf.d/falco.d"
  printf 'hostname: bench\nstate_dir: %s/state\nsinks:\n  - type: file\n    path: %s/metrics.jsonl\n' "$dir" "$dir" >"$dir/falcocheck.yaml"
  printf 'instances:\n  - openmetrics_endpoint: http://127.0.0.1:%s/metrics\n' "$port" >"$dir/conf.d/falco.d/conf.yaml"
  for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
  "$AOT" check --config "$dir/falcocheck.yaml" | tail -n 1
  hyperfine -N --style basic --warmup 3 --runs 30 --export-json "$RESULTS/oneshot-$STAMP.json" \
    "$AOT check --config $dir/falcocheck.yaml"
}

step_bdn() {
  say "BenchmarkDotNet (--job short)"
  # BENCH_BDN_FILTER narrows the suites, e.g. '*Encoder* *Pipeline*' (BenchmarkDotNet --filter globs).
  local filters
  read -r -a filters <<<"${BENCH_BDN_FILTER:-*}"
  dotnet run -c Release --project "$ROOT/FalcoCheck.Benchmarks" -- --filter "${filters[@]}" --job short \
    --artifacts "$OUT/bdn" --exporters github
  cat "$OUT"/bdn/results/*-report-github.md
}

steps=("$@")
((${#steps[@]})) || steps=(deps aot payloads stages openmetrics peers startup oneshot bdn)
for s in "${steps[@]}"; do
  case "$s" in
    deps|aot|payloads|stages|openmetrics|peers|startup|oneshot|bdn) "step_$s" ;;
    *) echo "unknown step: $s" >&2; exit 64 ;;
  esac
done
