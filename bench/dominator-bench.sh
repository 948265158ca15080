#!/usr/bin/env bash
# Benchmarks the dominator's herd against simulated subds that speak the real Subd protocol on
# loopback (127.10.x.y, one process holding them all): for each fleet size, the time of the first
# cycle (full polls), of steady cycles (short polls of unchanged subs), of a cycle in which 10% of
# the subs drifted (full poll, update, fresh scan), the herd's CPU and its resident memory.
# Usage: bench/dominator-bench.sh [COUNT...] (default: 1000 10000)
#   POLL_MS (default 5000): the poll interval of a steady sub; FILES (default 50): files per sub.
#   HEAP (default 1g): the herd JVM's -Xmx.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
source "$HERE/../bin/lib/env.sh"
(cd "$DOMINION_HOME" && ./mvnw -B -q -o install -pl dominator -am -DskipTests)
(cd "$DOMINION_HOME" && ./mvnw -B -q -o test-compile -pl dominator)
if [ $# -eq 0 ]; then set -- 1000 10000; fi
export DOMINION_LOG_LEVEL="${DOMINION_LOG_LEVEL:-WARN}"
CP="$DOMINION_HOME/dominator/target/test-classes:$DOMINION_HOME/dominator/target/dominator.jar:$DOMINION_HOME/dominator/target/lib/*"
echo "== dominator benchmark, $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg), ulimit -n $(ulimit -n)"
exec "$JAVA" -Xmx"${HEAP:-1g}" -XX:+UseSerialGC -cp "$CP" dominion.dominator.bench.HerdBench \
  --poll-interval-ms "${POLL_MS:-5000}" --files "${FILES:-50}" "$@" 2>/dev/null
