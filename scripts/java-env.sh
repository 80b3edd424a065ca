# Sourced by fleetlog's scripts: exports JAVA_HOME pointing at a JDK >= 21.
# Order: $JAVA_HOME if it is >= 21, then `java` on the PATH, then JDKs under /usr/lib/jvm.
# On failure it says exactly what to install.

fleetlog_java_major() {
  # Prints the major version of the java binary $1 (17, 21, 25, ...), or nothing.
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p' | head -n1
}

fleetlog_find_jdk() {
  local candidate major
  for candidate in "${JAVA_HOME:-}" "$(dirname "$(dirname "$(readlink -f "$(command -v javac 2>/dev/null || echo /nonexistent)")")")" /usr/lib/jvm/*; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/javac" ] || continue
    major=$(fleetlog_java_major "$candidate/bin/java")
    if [ -n "$major" ] && [ "$major" -ge 21 ] 2>/dev/null; then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}

if ! FLEETLOG_JDK=$(fleetlog_find_jdk); then
  echo "fleetlog needs a JDK 21 or newer (the default java here may be 17)." >&2
  echo "Install one (e.g. 'apt-get install openjdk-21-jdk' or Temurin 21/25) or set JAVA_HOME to it." >&2
  exit 1
fi
export JAVA_HOME="$FLEETLOG_JDK"
export PATH="$JAVA_HOME/bin:$PATH"
