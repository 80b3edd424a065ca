#!/usr/bin/env bash
# The main job: the fleetlog server (embedded SQLite) and a simulated 5-vehicle fleet with scripted
# dead zones, each vehicle behind its own fault proxy; dashboard at http://localhost:8080.
# Options: --vehicles N --duration SECONDS --speed X|max --port P --db URL --report FILE --seed S
# --mqtt tcp://HOST:1883 --mqtt-namespace NS (docs/mqtt.md) (./run_fleet.sh --help lists them all).
# Ctrl-C stops it cleanly and prints the continuity report.
set -euo pipefail
cd "$(dirname "$0")"
exec ./fleetlog demo "$@"
