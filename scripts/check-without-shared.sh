#!/usr/bin/env bash
# Clones this checkout into an empty temporary folder (no ../shared beside it) and runs the tests of
# the given modules there (default: logs). Passes when they pass and at least one test said that real
# data is absent; the clone is removed afterwards. Usage: scripts/check-without-shared.sh [MODULES]
set -euo pipefail
cd "$(dirname "$0")/.."
modules="${1:-logs}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
git clone -q . "$tmp/fleetlog"
cd "$tmp/fleetlog"
. scripts/java-env.sh
echo "check-without-shared: ./mvnw verify -pl $modules -am in $tmp/fleetlog (no ../shared)"
status=0
./mvnw -B -ntp -pl "$modules" -am verify >"$tmp/out.log" 2>&1 || status=$?
grep -E 'Tests run:|SKIPPED|BUILD|ERROR' "$tmp/out.log" || true
if [ "$status" -ne 0 ] || ! grep -q 'BUILD SUCCESS' "$tmp/out.log"; then
  echo "check-without-shared: FAILED (build without ../shared)"; exit 1
fi
# Surefire keeps the tests' output in its reports; print the skip lines from there.
skips="$(cat "$tmp"/fleetlog/*/target/surefire-reports/*-output.txt 2>/dev/null | grep -h 'real data not present' | sort -u || true)"
echo "$skips"
if [ -z "$skips" ]; then
  echo "check-without-shared: FAILED (no test reported the real data absent; was ../shared found?)"; exit 1
fi
echo "check-without-shared: OK"
