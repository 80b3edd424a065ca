# Sourced by ./fleetlog and ./run_fleet.sh: builds app/target/fleetlog.jar when it is missing or
# older than any source, pom or dashboard file. Expects JAVA_HOME set (scripts/java-env.sh).
FLEETLOG_JAR="app/target/fleetlog.jar"
fleetlog_needs_build() {
  [ -f "$FLEETLOG_JAR" ] || return 0
  [ -n "$(find pom.xml */pom.xml */src dashboard/package.json dashboard/index.html -newer "$FLEETLOG_JAR" -type f -print -quit 2>/dev/null)" ]
}
if fleetlog_needs_build; then
  echo "fleetlog: building (first run or sources changed; this takes a few minutes the first time)..." >&2
  if ! ./mvnw -B -ntp -q -DskipTests package -pl app -am >&2; then
    echo "fleetlog: the build failed; run ./mvnw -B -DskipTests package -pl app -am to see why." >&2
    exit 1
  fi
fi
