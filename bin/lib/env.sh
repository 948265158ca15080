# Sourced by every script in bin/: finds a JDK 25 and the project's top directory.
# Sets JAVA_HOME, JAVA and DOMINION_HOME, or exits with what to install.

DOMINION_HOME="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export DOMINION_HOME

dominion_java_major() {
  # Prints the feature version of the java binary $1 (e.g. 25), or nothing.
  "$1" -XshowSettings:properties -version 2>&1 |
    sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n 1
}

dominion_find_jdk() {
  local candidate
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ] &&
     [ "$(dominion_java_major "$JAVA_HOME/bin/java")" = 25 ]; then
    return 0
  fi
  for candidate in /usr/lib/jvm/*25*; do
    if [ -x "$candidate/bin/javac" ] && [ "$(dominion_java_major "$candidate/bin/java")" = 25 ]; then
      JAVA_HOME="$candidate"
      return 0
    fi
  done
  return 1
}

if ! dominion_find_jdk; then
  cat >&2 <<'MSG'
dominion: no JDK 25 found (looked at $JAVA_HOME, then /usr/lib/jvm/*25*).
Install one, for example:
  apt-get install -y openjdk-25-jdk-headless      (Debian/Ubuntu with JDK 25 packaged)
or unpack a Temurin 25 JDK under /usr/lib/jvm/, or set JAVA_HOME to a JDK 25.
MSG
  exit 1
fi
export JAVA_HOME
JAVA="$JAVA_HOME/bin/java"
export LC_ALL=C.UTF-8

# Runs a main class from a module's built jar (building first when it is missing). Native access
# is for the Linux calls of core's Posix (FFM); sun.misc.Unsafe's memory access is allowed because
# Netty 4.1 uses it for its direct buffers, and JDK 24 and later print four lines of warning in
# every daemon's log otherwise (DaemonScriptsTest checks that there are none).
dominion_run() {
  local module="$1" main="$2"
  shift 2
  local jar="$DOMINION_HOME/$module/target/$module.jar"
  if [ ! -f "$jar" ]; then
    echo "dominion: $module is not built yet; building (bin/build)..." >&2
    "$DOMINION_HOME/bin/build" >&2 || exit 1
  fi
  exec "$JAVA" --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow \
    -Dsun.jnu.encoding=UTF-8 -Dfile.encoding=UTF-8 \
    ${DOMINION_JAVA_OPTS:-} -cp "$jar" "$main" "$@"
}
