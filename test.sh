#!/usr/bin/env bash
# Runs FalcoCheck's whole test suite on this machine: installs what the tests need (the Debian packages below, whose
# servers the integration tests start on 127.0.0.1 and free ports), builds, runs every test, and ends with one line:
# "N passed, N failed, N skipped".
set -uo pipefail
cd "$(dirname "$0")"

need=()
command -v prometheus >/dev/null 2>&1 || need+=(prometheus)
command -v victoria-metrics >/dev/null 2>&1 || need+=(victoria-metrics)
# The alertmanager sink's tests read alerts back from a real Alertmanager.
command -v prometheus-alertmanager >/dev/null 2>&1 || need+=(prometheus-alertmanager)
# The deployment tests verify samples/deploy/systemd/falcocheck.service with systemd-analyze.
command -v systemd-analyze >/dev/null 2>&1 || need+=(systemd)
# The deployment tests render samples/deploy/kubernetes with `kubectl kustomize`.
command -v kubectl >/dev/null 2>&1 || need+=(kubernetes-client)
# The alert sinks' tests start a real rsyslogd (UDP, TCP and TLS through gnutls) and nats-server.
[ -x /usr/sbin/rsyslogd ] || need+=(rsyslog)
[ -f /usr/lib/x86_64-linux-gnu/rsyslog/lmnsd_gtls.so ] || [ -n "$(find /usr/lib -name lmnsd_gtls.so 2>/dev/null | head -n 1)" ] || need+=(rsyslog-gnutls)
command -v nats-server >/dev/null 2>&1 || need+=(nats-server)
# The syslog sink's TLS test also runs against an OpenSSL server (openssl s_server), which sends TLS 1.3 session tickets.
command -v openssl >/dev/null 2>&1 || need+=(openssl)
if ((${#need[@]})); then
  if [ "$(id -u)" -eq 0 ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  else
    sudo -n true 2>/dev/null && { sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null; }
  fi
  # The Debian packages start their own services; the tests start their own instances on free ports instead.
  for service in prometheus victoria-metrics prometheus-alertmanager rsyslog nats-server; do
    command -v systemctl >/dev/null 2>&1 && systemctl stop "$service" >/dev/null 2>&1 || true
  done
fi

results=$(mktemp -d)
# Benchmarks (category Benchmark, explicit, minutes long) are run on purpose, never by the suite: see README "Performance".
default_filter=(--filter "TestCategory!=Benchmark")
[[ " $* " == *" --filter "* ]] && default_filter=()
dotnet test FalcoCheck.sln -c Release --logger "trx" --results-directory "$results" "${default_filter[@]}" "$@"
status=$?

# Count from the TRX result files (one per test assembly): <Counters total=".." passed=".." failed=".." ...>.
passed=0 failed=0 skipped=0 found=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  get() { echo "$counters" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"; }
  p=$(get passed); f=$(get failed); e=$(get error); t=$(get timeout); a=$(get aborted); total=$(get total); executed=$(get executed)
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0} + ${e:-0} + ${t:-0} + ${a:-0}))
  skipped=$((skipped + ${total:-0} - ${executed:-0})); found=1
done
if ((found == 0)); then
  # The build failed or the run crashed before any result: count that as one failure.
  failed=$((failed + 1)); status=1
fi
rm -rf "$results"
echo "$passed passed, $failed failed, $skipped skipped"
exit "$status"
