#!/usr/bin/env bash
# Builds fleetlog and runs every test (unit, property, fault-injection, browser, benchmark smokes).
# Finds a JDK >= 21 by itself; Maven comes through the wrapper (./mvnw), Node.js 20 + npm must be
# on the PATH and Chromium at /usr/bin/chromium for the browser test (.ci/run installs it).
set -euo pipefail
cd "$(dirname "$0")"
. scripts/java-env.sh
exec ./mvnw -B -ntp verify "$@"
