#!/usr/bin/env bash
# Runs FalcoCheck's whole test suite on this machine: installs what the tests need (Debian's prometheus and
# victoria-metrics, which the integration tests start on 127.0.0.1), builds, runs every test, and ends with
# one line: "N passed, N failed, N skipped".
set -uo pipefail
cd "$(dirname "$0")"

need=()
command -v prometheus >/dev/null 2>&1 || need+=(prometheus)
command -v victoria-metrics >/dev/null 2>&1 || need+=(victoria-metrics)
if ((${#need[@]})); then
  if [ "$(id -u)" -eq 0 ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  else
    sudo -n true 2>/dev/null && { sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null; }
  fi
  # The Debian packages start their own services; the tests start their own instances on free ports instead.
  for service in prometheus victoria-metrics; do
    command -v systemctl >/dev/null 2>&1 && systemctl stop "$service" >/dev/null 2>&1 || true
  done
fi

log=$(mktemp)
dotnet test FalcoCheck.sln -c Release --logger "console;verbosity=normal" "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

passed=0 failed=0 skipped=0 found=0
while IFS= read -r line; do
  if [[ $line =~ Failed:[[:space:]]+([0-9]+),[[:space:]]+Passed:[[:space:]]+([0-9]+),[[:space:]]+Skipped:[[:space:]]+([0-9]+) ]]; then
    failed=$((failed + BASH_REMATCH[1])); passed=$((passed + BASH_REMATCH[2])); skipped=$((skipped + BASH_REMATCH[3])); found=1
  fi
done < <(grep -E "^[[:space:]]*(Passed|Failed)!" "$log")
if ((found == 0)); then
  # The build failed or the run crashed before a summary: count that as one failure.
  failed=$((failed + 1)); status=1
fi
echo "$passed passed, $failed failed, $skipped skipped"
rm -f "$log"
exit "$status"
