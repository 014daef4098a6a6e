#!/usr/bin/env bash
# Reproduces every figure of README "Performance" (issue 7) on this machine. Never run by the tests or CI.
#
# Usage: bench/run.sh [STEP...]     (default: every step, in this order)
#   deps      Debian packages: clang + zlib1g-dev (NativeAOT), hyperfine, valgrind (targets' instruction counts); the peers' setup (../shared/bench/setup.sh)
#   aot       dotnet publish FalcoCheck -c Release -r linux-x64 -p:PublishAot=true; binary size; trim/AOT warnings
#   payloads  falcocheck bench generate (typical, large, huge) + Datadog's fixture as datadog.prom
#   stages    falcocheck bench --stage parse|map|encode|pipeline on every payload (NativeAOT binary)
#   peers     ../shared/bench/run_peers.sh --oneshot with BENCH_EXTRA_PEERS='falcocheck|<aot> bench'
#   startup   hyperfine: the NativeAOT binary's start-up (--version) and a one-iteration bench
#   oneshot   hyperfine: `falcocheck check` of a local endpoint (falcocheck replay), whole process
#   openmetrics  falcocheck bench --stage parse-openmetrics|parse-openmetrics-strict (and parse, Prometheus text),
#             alternating, 5 rounds per payload: what the OpenMetrics 1.0 strict checks cost (README "OpenMetrics")
#   bdn       BenchmarkDotNet: FalcoCheck.Benchmarks, every suite (BENCH_BDN_FILTER to narrow), --job short
#   targets   the issue-16 targets side by side in one run: this build, the previous release (BENCH_PREVIOUS_REF,
#             default c6cbe3e, built from `git archive` into artifacts/bench/previous), the one-shot floor
#             (bench/floor: our build settings, GET the endpoint and write the body, nothing else; with valgrind, the
#             instructions of `check` and of the floor) and the Go expfmt peer:
#             one-shot `check` of the 0.41.0 kernel fixture (whole process, BENCH_ONESHOT_RUNS rounds, default 20,
#             the commands in turn; medians and pair-by-pair ratios), then `run` with 100 instances at 15 s
#             for BENCH_DAEMON_SECONDS (default 60) per build: resident memory (smaps_rollup) and CPU
#   alerts    the six alert sinks at once (issue 14): `falcocheck run` takes real Falco alerts, one per POST, and routes
#             them to Alertmanager, nats-server, rsyslog (TCP), OTLP, webhook and Loki intakes; alerts/s accepted and
#             delivered, the daemon's peak RSS and managed heap. BENCH_ALERTS_RATES (default "1000 0": the issue's
#             1,000/s, then as fast as it takes), BENCH_ALERTS_SECONDS (default 30); the NativeAOT binary when built
#             (else dotnet falcocheck.dll). Needs prometheus-alertmanager, rsyslog and nats-server (test.sh installs them)
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
  local pkgs=(clang zlib1g-dev hyperfine valgrind) missing=()
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

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

wait_http() { for _ in $(seq 100); do curl -sf "$1" >/dev/null 2>&1 && return 0; sleep 0.1; done; echo "no answer at $1" >&2; return 1; }

# The previous release, built the same way as this one, into its own folder (kept between runs).
build_previous() {
  local ref="${BENCH_PREVIOUS_REF:-c6cbe3e}" src="$OUT/previous-src" dir="$OUT/previous"
  if [ -x "$dir/falcocheck" ] && [ "$(cat "$dir/REF" 2>/dev/null)" = "$ref" ]; then return 0; fi
  rm -rf "$src" "$dir"
  mkdir -p "$src"
  git -C "$ROOT" archive "$ref" | tar -x -C "$src"
  dotnet publish "$src/FalcoCheck" -c Release -r linux-x64 -p:PublishAot=true -o "$dir" >"$OUT/previous-publish.log" 2>&1 \
    || { tail -n 20 "$OUT/previous-publish.log" >&2; exit 70; }
  echo "$ref" >"$dir/REF"
}

# The one-shot floor (bench/floor), published like the product; rebuilt when its sources change.
build_floor() {
  local dir="$OUT/floor" sum
  sum=$(cat "$ROOT/bench/floor/floor.csproj" "$ROOT/bench/floor/Program.cs" "$ROOT/Directory.Build.props" | sha256sum | cut -c1-16)
  if [ -x "$dir/floor" ] && [ "$(cat "$dir/SUM" 2>/dev/null)" = "$sum" ]; then return 0; fi
  rm -rf "$dir"
  dotnet publish "$ROOT/bench/floor" -c Release -r linux-x64 -p:PublishAot=true -o "$dir" >"$OUT/floor-publish.log" 2>&1 \
    || { tail -n 20 "$OUT/floor-publish.log" >&2; exit 70; }
  echo "$sum" >"$dir/SUM"
}

# Instructions of one whole process (callgrind's total Ir), the NativeAOT binary copied without its .dbg file,
# which valgrind 3.19 cannot read. Prints nothing when valgrind is missing.
instructions() {
  command -v valgrind >/dev/null 2>&1 || return 0
  local bin="$1" copy; shift
  copy=$(mktemp -d)
  cp "$bin" "$copy/"
  valgrind --tool=callgrind --callgrind-out-file="$copy/out" "$copy/$(basename "$bin")" "$@" >/dev/null 2>&1 || true
  grep -m1 '^summary:' "$copy/out" 2>/dev/null | awk '{print $2}'
  rm -rf "$copy"
}

step_targets() {
  say "targets: one-shot check and the 100-instance daemon, this build against ${BENCH_PREVIOUS_REF:-c6cbe3e} and Go"
  need_aot
  [ -x "$PEERS/bin/peer_go_expfmt" ] || step_deps
  build_previous
  build_floor
  local prev="$OUT/previous/falcocheck" floor="$OUT/floor/floor" dir port pid file="$RESULTS/targets-$STAMP.jsonl"
  dir=$(mktemp -d)
  port=$(free_port)
  trap 'kill "$pid" 2>/dev/null || true; rm -rf "$dir"' RETURN

  # One-shot: `check` of a local replay of Falco 0.41.0's kernel fixture into a file sink, each build with its own
  # state and sink files; the Go peer reads and parses the same payload from a file (start + read + one parse).
  local fixture="$ROOT/samples/demo/falco-0.41.0_prometheus_kernel.prom.txt"
  "$AOT" replay --port "$port" "$fixture" >/dev/null 2>&1 &
  pid=$!
  wait_http "http://127.0.0.1:$port/healthz"
  for build in current previous; do
    mkdir -p "$dir/$build/conf.d/falco.d"
    printf 'hostname: bench\nstate_dir: %s/state\nsinks:\n  - type: file\n    path: %s/metrics.jsonl\n' "$dir/$build" "$dir/$build" >"$dir/$build/falcocheck.yaml"
    printf 'instances:\n  - openmetrics_endpoint: http://127.0.0.1:%s/falco-0.41.0_prometheus_kernel/metrics\n' "$port" >"$dir/$build/conf.d/falco.d/conf.yaml"
  done
  "$AOT" check --config "$dir/current/falcocheck.yaml" | tail -n 1
  python3 - "$file" "${BENCH_ONESHOT_RUNS:-20}" \
    "falcocheck|$AOT check --config $dir/current/falcocheck.yaml" \
    "previous|$prev check --config $dir/previous/falcocheck.yaml" \
    "floor|$floor http://127.0.0.1:$port/falco-0.41.0_prometheus_kernel/metrics $dir/floor.out" \
    "go_expfmt_dedup|$PEERS/bin/peer_go_expfmt -mode dedup --warmup 0 $fixture 1" <<'EOF'
# Whole-process timing: wall from just before the start to the reaping (os.wait4), CPU and peak RSS from the
# kernel's accounting of the child. The commands run in turn, round after round, so a drift of the machine's
# speed hits all of them; ratios are taken round by round, then their median.
import json, os, statistics, subprocess, sys, time
out, rounds, specs = sys.argv[1], int(sys.argv[2]), [a.split("|", 1) for a in sys.argv[3:]]
runs = {name: [] for name, _ in specs}
for r in range(rounds + 1):                      # round 0 is a warm-up, not counted
    for name, cmd in specs:
        t0 = time.perf_counter()
        p = subprocess.Popen(cmd.split(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _, status, ru = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t0
        if r:
            runs[name].append({"wall_ms": wall * 1e3, "cpu_ms": (ru.ru_utime + ru.ru_stime) * 1e3,
                               "maxrss_mib": ru.ru_maxrss / 1024, "exit": os.waitstatus_to_exitcode(status)})
base = specs[-1][0]
with open(out, "a") as f:
    for name, _ in specs:
        xs = runs[name]
        row = {"target": "oneshot", "command": name, "runs": len(xs),
               "wall_ms_median": statistics.median(x["wall_ms"] for x in xs), "wall_ms_min": min(x["wall_ms"] for x in xs),
               "cpu_ms_median": statistics.median(x["cpu_ms"] for x in xs),
               "maxrss_mib_median": statistics.median(x["maxrss_mib"] for x in xs),
               "exit_codes": sorted({x["exit"] for x in xs})}
        for other, _ in specs:
            if other != name:
                row[f"wall_ratio_to_{other}"] = statistics.median(a["wall_ms"] / b["wall_ms"] for a, b in zip(xs, runs[other]))
                row[f"cpu_ratio_to_{other}"] = statistics.median(a["cpu_ms"] / b["cpu_ms"] for a, b in zip(xs, runs[other]) if b["cpu_ms"] > 0)
        f.write(json.dumps(row) + "\n")
        print("%-16s wall median %6.1f ms (min %5.1f)  cpu median %6.1f ms  peak %5.1f MiB  wall/%s %5.2f  cpu/%s %5.2f" % (
            name, row["wall_ms_median"], row["wall_ms_min"], row["cpu_ms_median"], row["maxrss_mib_median"],
            base, row.get(f"wall_ratio_to_{base}", 1.0), base, row.get(f"cpu_ratio_to_{base}", 1.0)))
EOF
  # Instructions do not depend on the machine's load: this build's `check` against the floor's GET + write.
  local ours floor_ir
  ours=$(instructions "$AOT" check --config "$dir/current/falcocheck.yaml")
  floor_ir=$(instructions "$floor" "http://127.0.0.1:$port/falco-0.41.0_prometheus_kernel/metrics" "$dir/floor.out")
  if [ -n "$ours" ] && [ -n "$floor_ir" ]; then
    echo "{\"target\":\"oneshot_instructions\",\"falcocheck\":$ours,\"floor\":$floor_ir}" >>"$file"
    python3 -c "import sys; o, f = int(sys.argv[1]), int(sys.argv[2]); print('instructions (callgrind): falcocheck check %.1f M, floor %.1f M, ratio %.2f' % (o / 1e6, f / 1e6, o / f))" "$ours" "$floor_ir"
  fi
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true

  # Daemon: 100 instances (each its own replayed Falco 0.40.0 with two event sources, on its own path) every 15 s,
  # the file sink to /dev/null; the same replay server for both builds, one build after the other.
  mkdir -p "$dir/payloads"
  for i in $(seq 0 99); do cp "$ROOT/samples/demo/falco-0.40.0_two-sources.prom.txt" "$dir/payloads/node-$i.prom"; done
  port=$(free_port)
  "$AOT" replay --port "$port" "$dir"/payloads/*.prom >/dev/null 2>&1 &
  pid=$!
  wait_http "http://127.0.0.1:$port/healthz"
  local status_port build bin
  status_port=$(free_port)
  mkdir -p "$dir/daemon/conf.d/falco.d"
  printf 'hostname: bench\nstate_dir: %s/daemon/state\nstatus:\n  listen: 127.0.0.1:%s\nsinks:\n  - type: file\n    path: /dev/null\n' "$dir" "$status_port" >"$dir/daemon/falcocheck.yaml"
  { echo 'init_config:'; echo '  timeout: 5'; echo 'instances:'
    for i in $(seq 0 99); do echo "  - openmetrics_endpoint: http://127.0.0.1:$port/node-$i/metrics"; done; } >"$dir/daemon/conf.d/falco.d/conf.yaml"
  for build in current previous; do
    bin="$AOT"; [ "$build" = previous ] && bin="$prev"
    python3 - "$file" "$build" "${BENCH_DAEMON_SECONDS:-60}" "$status_port" "$bin" run --config "$dir/daemon/falcocheck.yaml" <<'EOF'
# Samples the daemon every 5 s: Rss and Anonymous of /proc/PID/smaps_rollup, utime + stime of /proc/PID/stat.
# CPU is the share of one core from the first 15 s (the first run of every instance) to the end.
import json, os, signal, subprocess, sys, time, urllib.request
out, build, seconds, status_port, cmd = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5:]
tick = os.sysconf("SC_CLK_TCK")
def rollup(pid):
    d = {}
    for line in open(f"/proc/{pid}/smaps_rollup"):
        parts = line.split()
        if len(parts) == 3 and parts[2] == "kB":
            d[parts[0].rstrip(":")] = int(parts[1]) / 1024
    return d
def cpu(pid):
    s = open(f"/proc/{pid}/stat").read()
    f = s[s.rindex(")") + 2:].split()
    return (int(f[11]) + int(f[12])) / tick
p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
t0 = time.monotonic(); samples = []; mark = None
while time.monotonic() - t0 < seconds:
    time.sleep(5)
    at = time.monotonic() - t0; r = rollup(p.pid); c = cpu(p.pid)
    samples.append((at, r["Rss"], r["Anonymous"], c))
    if mark is None and at >= 15: mark = (at, c)
try:
    status = json.load(urllib.request.urlopen(f"http://127.0.0.1:{status_port}/status", timeout=5))
except Exception as e:
    status = {"instances": [], "gc_heap_bytes": 0}
p.send_signal(signal.SIGTERM); p.wait(timeout=60)
end = samples[-1]
row = {"target": "daemon", "command": build, "instances": len(status["instances"]), "seconds": round(end[0]),
       "rss_mib_end": round(end[1], 1), "rss_mib_max": round(max(s[1] for s in samples), 1), "anon_mib_end": round(end[2], 1),
       "gc_heap_mib": round(status.get("gc_heap_bytes", 0) / 1048576, 1),
       "cpu_percent_of_one_core": round((end[3] - mark[1]) / (end[0] - mark[0]) * 100, 2) if mark and end[0] > mark[0] else None,
       "runs": sum(i.get("runs", 0) for i in status["instances"]),
       "ok": sum(1 for i in status["instances"] if i.get("status") == "ok"), "exit": p.returncode}
open(out, "a").write(json.dumps(row) + "\n")
print("daemon %-9s 100 instances, %3d s: RSS %5.1f MiB at the end (max %5.1f; anonymous %5.1f; managed heap %4.1f), CPU %s%% of a core, %d runs, %d ok" % (
    build, row["seconds"], row["rss_mib_end"], row["rss_mib_max"], row["anon_mib_end"], row["gc_heap_mib"], row["cpu_percent_of_one_core"], row["runs"], row["ok"]))
EOF
  done
  echo "saved: $file"
}

step_alerts() {
  say "alerts: six sinks, one falcocheck run"
  dotnet build "$ROOT/FalcoCheck.Tests" -c Release >"$OUT/alerts-build.log" 2>&1 || { tail -n 20 "$OUT/alerts-build.log" >&2; exit 70; }
  local binary="" rate file="$RESULTS/alerts-$STAMP.txt"
  [ -x "$AOT" ] && binary="$AOT"
  for rate in ${BENCH_ALERTS_RATES:-1000 0}; do
    FALCOCHECK_BENCH_RATE="$rate" FALCOCHECK_BENCH_SECONDS="${BENCH_ALERTS_SECONDS:-30}" FALCOCHECK_BENCH_BINARY="$binary" \
      dotnet test "$ROOT/FalcoCheck.Tests" -c Release --no-build --filter Name=Six_sinks_fan_out_throughput_and_memory \
      --logger "console;verbosity=detailed" 2>&1 | grep -m 1 '^alerts-fanout' | sed "s/^/rate=$rate /" | tee -a "$file"
  done
  echo "saved: $file"
}

steps=("$@")
((${#steps[@]})) || steps=(deps aot payloads stages openmetrics peers startup oneshot bdn targets alerts)
for s in "${steps[@]}"; do
  case "$s" in
    deps|aot|payloads|stages|openmetrics|peers|startup|oneshot|bdn|targets|alerts) "step_$s" ;;
    *) echo "unknown step: $s" >&2; exit 64 ;;
  esac
done
