#!/usr/bin/env bash
# Benchmarks subd on the corpus of ../shared/bench (v1/ and v2/), printing peer figures from the
# same run beside subd's (figures from different runs on shared machines are not comparable):
#   (a) a full scan of v1, page cache warm, beside sha512sum over the same files on one core;
#   (b) updating a copy of v1 to v2 through fetch and update, beside rsync -a --delete, with the
#       change window;
#   (c) subd idle and synced on v2 with default limits: CPU share of one core over a minute,
#       and resident memory;
#   (d) with default limits, the time from a file changed on v2 to the next generation bump.
# Usage: bench/subd-bench.sh [CORPUS (default /work/corpus)] [WORKDIR (default a new temp dir)]
# Environment: RUNS (3), PARTS (abcd: the parts to run; c and d need b, which leaves subd running),
#   IDLE_SECONDS (60), SETTLE_SECONDS (60), TLS (1: the daemons and the benchmark's calls use TLS
#   with certificates from a CA made for the run, as in production; 0: plain HTTP, insecure mode),
#   WARM_FETCHES (8: fetches that warm the imageserver before part (b); 0: none).
# Needs root (subd sets owners and makes devices), rsync and hyperfine.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
source "$HERE/../bin/lib/env.sh"
CORPUS="${1:-/work/corpus}"
WORK="${2:-$(mktemp -d /tmp/subd-bench.XXXXXX)}"
RUNS="${RUNS:-3}"
IDLE_SECONDS="${IDLE_SECONDS:-60}"
PARTS="${PARTS:-abcd}"
want() { [[ "$PARTS" == *"$1"* ]]; }
V1="$CORPUS/v1"
V2="$CORPUS/v2"
[ -d "$V1" ] && [ -d "$V2" ] || { echo "subd-bench: no $V1 and $V2 (see ../shared/bench/make-corpus.sh)" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "subd-bench: run as root" >&2; exit 1; }
mkdir -p "$WORK"
echo "== subd benchmark: corpus $CORPUS, work dir $WORK, $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg), TLS ${TLS:-1}"

(cd "$DOMINION_HOME" && ./mvnw -B -q -o install -pl subd,imageserver,imagetool -am -DskipTests)
CP="$DOMINION_HOME/subd/target/test-classes:$DOMINION_HOME/subd/target/subd.jar:$DOMINION_HOME/subd/target/lib/*"
source "$HERE/lib/tls.sh"
# The benchmark calls subd and the imageserver as the dominator does.
bench_tls_setup "$WORK/pki" "$DOMINION_HOME/bin/certtool" imageserver subd dominator image-builder
BENCH_TLS=()
if [ "${TLS:-1}" = 1 ]; then
  BENCH_TLS=(-Ddominion.bench.ca="$BENCH_PKI/ca/CA.pem"
    -Ddominion.bench.cert="$BENCH_PKI/dominator/cert.pem"
    -Ddominion.bench.key="$BENCH_PKI/dominator/key.pem")
fi
bench() {
  "$JAVA" --enable-native-access=ALL-UNNAMED ${BENCH_TLS[@]+"${BENCH_TLS[@]}"} -cp "$CP" \
    dominion.subd.bench.SubdBench "$@" 2>/dev/null
}

PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_http() { for _ in $(seq 1 300); do "${CURL[@]}" -sf "$SCHEME://127.0.0.1:$1/healthz" >/dev/null && return 0; sleep 0.1; done; echo "no daemon on port $1" >&2; return 1; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
# Waits until subd on port $1 has ended its first scan and its rehearsal (see docs/subd.md).
wait_ready() {
  local m
  for _ in $(seq 1 600); do
    m="$("${CURL[@]}" -sf "$SCHEME://127.0.0.1:$1/metrics" || true)"
    if grep -q "^dominion_subd_scans_total [1-9]" <<< "$m" &&
      grep -q "^dominion_subd_rehearsal_pending 0" <<< "$m"; then
      return 0
    fi
    sleep 0.5
  done
  echo "subd on port $1 not ready after 300 s" >&2; return 1
}

if want a; then
echo
echo "== (a) full scan of v1, page cache warm"
find "$V1" -type f -print0 | xargs -0 cat > /dev/null
FILES="$(find "$V1" -type f | wc -l)"
echo "-- sha512sum over the $FILES regular files, one process at a time (one core):"
for _ in $(seq "$RUNS"); do /usr/bin/time -f "   sha512sum: %e s wall, %U+%S s CPU" \
  sh -c "find '$V1' -type f -print0 | xargs -0 sha512sum > /dev/null"; done
echo "-- subd's scanner (TreeScanner + SHA-512, limits lifted), $((RUNS + 2)) scans in one JVM"
echo "   (the first pays for JIT warm-up; a running subd is always warm):"
/usr/bin/time -f "   whole JVM: %e s wall, %U+%S s CPU, max RSS %M KiB" \
  "$JAVA" --enable-native-access=ALL-UNNAMED -cp "$CP" dominion.subd.bench.SubdBench \
  scan "$V1" "$((RUNS + 2))" 2>&1 | grep -v "^WARNING" | sed 's/^scan/   scan/'
fi
want b || { echo "== done"; exit 0; }

echo
echo "== (b) v1 -> v2: subd fetch + update beside rsync -a --delete"
IS_PORT="$(free_port)"
"$DOMINION_HOME/bin/imageserver" --data-dir "$WORK/imageserver" --bind 127.0.0.1 --port "$IS_PORT" \
  $(bench_daemon_flags imageserver) > "$WORK/imageserver.log" 2>&1 &
PIDS+=($!)
wait_http "$IS_PORT"
for image in v1 v2; do
  "$DOMINION_HOME/bin/imagetool" $(bench_client_flags image-builder) --image-server "127.0.0.1:$IS_PORT" add "$image" \
    "$CORPUS/$image" "" "" > "$WORK/imagetool.log" 2>&1 || { cat "$WORK/imagetool.log"; exit 1; }
done
# On a fleet the imageserver is warm: it serves every sub, and its TLS and object-sending code
# was compiled by its JIT long before this sub's update. Warm this one the same way, with the fetch
# a sub makes here (v2's objects that v1 lacks), from a client of its own and into a cache on
# tmpfs (not the file systems measured below), so that part (b)'s figures are subd's, not the
# imageserver's warm-up. WARM_FETCHES=0 skips it.
WARM_FETCHES="${WARM_FETCHES:-8}"
if [ "$WARM_FETCHES" -gt 0 ]; then
  # The objects the updates below fetch, from the images (the imageserver hashed them on add).
  bench objects "127.0.0.1:$IS_PORT" v1 v2 > "$WORK/v2-new-objects"
  WARM_DIR="$(mktemp -d /dev/shm/subd-bench-warm.XXXXXX 2>/dev/null || mktemp -d "$WORK/warm.XXXXXX")"
  WARM_TLS=()
  if [ "${TLS:-1}" = 1 ]; then
    WARM_TLS=(-Ddominion.bench.ca="$BENCH_PKI/ca/CA.pem"
      -Ddominion.bench.cert="$BENCH_PKI/subd/cert.pem"
      -Ddominion.bench.key="$BENCH_PKI/subd/key.pem")
  fi
  echo "-- the imageserver warmed first, as on a fleet: $WARM_FETCHES fetches of v2's $(wc -l < "$WORK/v2-new-objects") new objects, as a sub"
  "$JAVA" --enable-native-access=ALL-UNNAMED ${WARM_TLS[@]+"${WARM_TLS[@]}"} -cp "$CP" \
    dominion.subd.bench.SubdBench fetch "127.0.0.1:$IS_PORT" "$WORK/v2-new-objects" "$WARM_DIR" \
    "$WARM_FETCHES" 2>/dev/null | sed -n '1p;$p' | sed 's/^/   /'
  rm -rf "$WARM_DIR"
fi

# Part (b) on the file system under $1: the peers, then subd; leaves the last subd running (for
# parts c and d) when $2 is "keep".
update_on() {
  local dir="$1"
  echo "-- peers, each on a fresh copy of v1 (load $(cut -d' ' -f1-3 /proc/loadavg)): rsync -a --delete,"
  echo "   and rsync followed by syncfs of the copy (sync -f), the peer of subd's durable update:"
  local fs
  fs="$(basename "$dir")"
  hyperfine --runs "$RUNS" --style basic --export-json "$WORK/rsync-$fs.json" \
    --prepare "rm -rf '$dir/rsync-root'; cp -a '$V1' '$dir/rsync-root'; sync" \
    "rsync -a --delete '$V2/' '$dir/rsync-root/'" \
    "rsync -a --delete '$V2/' '$dir/rsync-root/' && sync -f '$dir/rsync-root'" 2>&1 |
    grep -E "Benchmark|Time|Range" | sed 's/^/   /'
  rm -rf "$dir/rsync-root"
  echo "-- subd, fresh on a fresh copy of v1 each run, fetch at 100% network, limits back to the"
  echo "   defaults after the first scan; the diff is computed by the benchmark, as the dominator"
  echo "   would. Each subd is 'ready' when its first scan and its rehearsal (fetches and updates"
  echo "   of a scratch tree, so that the JIT has compiled their code) have ended. 'first': the"
  echo "   first update after that; then v2 -> v1 (not shown) and 'later': v1 -> v2 again;"
  echo "   'third': the same once more; 'unrehearsed': the first update of a subd started with"
  echo "   --rehearsal-rounds 0 (its JIT compiles the fetch and update code on the way)."
  echo "   fetch+update is the figure to set beside rsync's: the fetch and the update each from its"
  echo "   call to its end by subd's clock; the benchmark polls every 500 ms, as the dominator polls"
  echo "   a busy sub, and the wait for the poll is not counted."
  : > "$WORK/subd-$fs.txt"
  for run in $(seq "$RUNS"); do
    # An unrehearsed subd, then one as deployed (subd's default rehearsal).
    for rounds in 0 default; do
      [ -n "$SUBD_PID" ] && { kill "$SUBD_PID"; wait "$SUBD_PID" 2>/dev/null || true; SUBD_PID=""; }
      rm -rf "$dir/root"; cp -a "$V1" "$dir/root"; sync
      SUBD_PORT="$(free_port)"
      local started
      started="$(date +%s.%N)"
      "$DOMINION_HOME/bin/subd" --root-dir "$dir/root" --bind 127.0.0.1 --port "$SUBD_PORT" \
        --service-command "true" --cpu-percent 100 --scan-speed-percent 100 \
        $([ "$rounds" = 0 ] && echo --rehearsal-rounds 0) \
        $(bench_daemon_flags subd) > "$WORK/subd-$(basename "$dir")-$run-$rounds.log" 2>&1 &
      SUBD_PID=$!
      PIDS+=("$SUBD_PID")
      wait_http "$SUBD_PORT"
      wait_ready "$SUBD_PORT"
      awk -v t="$(cpu_ticks "$SUBD_PID")" -v hz="$(getconf CLK_TCK)" -v s0="$started" \
        -v s1="$(date +%s.%N)" -v run="$run" -v r="$(grep -o "rehearsal \(done\|cut short\|failed\).*" \
        "$WORK/subd-$(basename "$dir")-$run-$rounds.log" | sed 's/: .*//')" \
        'BEGIN { printf "   run %d ready %.1f s after start, %.1f s of CPU (%s)\n", run, s1 - s0,
          t / hz, r == "" ? "first scan, no rehearsal" : "first scan, " r }'
      if [ "$rounds" = 0 ]; then
        bench update "127.0.0.1:$SUBD_PORT" "127.0.0.1:$IS_PORT" "v2=run $run unrehearsed" |
          grep -v "^diff:" | tee -a "$WORK/subd-$fs.txt" | sed "s/^/   /"
        continue
      fi
      bench update "127.0.0.1:$SUBD_PORT" "127.0.0.1:$IS_PORT" \
        "v2=run $run first" "v1=run $run back" "v2=run $run later" \
        "v1=run $run back" "v2=run $run third" |
        grep -v -e "^diff:" -e "^run $run back" | tee -a "$WORK/subd-$fs.txt" | sed "s/^/   /"
    done
  done
  # The target of part (b): subd no slower than rsync -a --delete.
  python3 - "$WORK/rsync-$fs.json" "$WORK/subd-$fs.txt" <<'PY'
import json, re, sys
rsync = json.load(open(sys.argv[1]))["results"][0]["times"]
runs = {}
for line in open(sys.argv[2]):
    m = re.match(r"run \d+ (\w+): fetch\+update ([0-9.]+) s", line)
    if m:
        runs.setdefault(m.group(1), []).append(float(m.group(2)))
print("-- subd's fetch+update against rsync -a --delete (%.2f-%.2f s):" % (min(rsync), max(rsync)))
for kind, times in runs.items():
    print("   %-6s %.2f-%.2f s, %.2f-%.2fx rsync's mean; faster than rsync's fastest run in %d of %d"
          % (kind, min(times), max(times), min(times) / (sum(rsync) / len(rsync)),
             max(times) / (sum(rsync) / len(rsync)), sum(t < min(rsync) for t in times), len(times)))
PY
  if [ "${2:-}" != keep ]; then
    kill "$SUBD_PID"; wait "$SUBD_PID" 2>/dev/null || true; SUBD_PID=""
    rm -rf "$dir/root"
  fi
}

SUBD_PID=""
# A fresh ext4 with a journal (mkfs.ext4's defaults, as on most hosts), in a file on a loop
# device. Without a journal (as on some VMs' disks), ext4 skips every inode freed in the last few
# minutes when it allocates one, reading an inode table block for each: after a benchmark
# has deleted a few thousand files, each file created costs 100-250 us instead of 15-25 us, for
# subd and rsync alike but unevenly (it depends on which block groups their files land in).
FRESH="$WORK/fresh-ext4"
if mkdir -p "$FRESH" && truncate -s 2G "$WORK/fresh-ext4.img" &&
  mkfs.ext4 -q -F "$WORK/fresh-ext4.img" && mount -o loop "$WORK/fresh-ext4.img" "$FRESH"; then
  trap 'cleanup; umount "$FRESH" 2>/dev/null || true' EXIT
  echo "-- on a fresh ext4 with a journal (loop device; mkfs.ext4 defaults):"
  update_on "$FRESH"
  umount "$FRESH" && rm -f "$WORK/fresh-ext4.img"
  trap cleanup EXIT
else
  echo "-- (no fresh ext4: mkfs.ext4 or a loop mount failed; only the work dir's file system)"
fi
echo "-- on the work dir's file system ($(df --output=fstype "$WORK" | tail -1) on $(df --output=source "$WORK" | tail -1)):"
update_on "$WORK" keep

if want c; then
echo
echo "== (c) idle and synced on v2, default limits (scan 2% disk, 1% CPU), ${IDLE_SECONDS} s"
bench limits "127.0.0.1:$SUBD_PORT" 2 1 10
# Steady state: let the passes and JIT compilation that follow the update settle first.
sleep "${SETTLE_SECONDS:-60}"
HZ="$(getconf CLK_TCK)"
T0="$(cpu_ticks "$SUBD_PID")"; S0="$(date +%s.%N)"
sleep "$IDLE_SECONDS"
T1="$(cpu_ticks "$SUBD_PID")"; S1="$(date +%s.%N)"
awk -v t="$((T1 - T0))" -v hz="$HZ" -v s0="$S0" -v s1="$S1" \
  'BEGIN { printf "   CPU: %.2f%% of one core (%.2f s CPU in %.1f s)\n", 100 * t / hz / (s1 - s0), t / hz, s1 - s0 }'
grep -E "VmRSS|VmHWM" "/proc/$SUBD_PID/status" | awk '{ printf "   %s %.1f MiB\n", $1, $2 / 1024 }'
"${CURL[@]}" -s "$SCHEME://127.0.0.1:$SUBD_PORT/metrics" | grep -E "^dominion_subd_(scans_total|last_scan_duration|full_rehash_passes_total) " | sed 's/^/   /'
fi

if want d; then
echo
echo "== (d) default limits: time from a changed file to the next generation"
echo "-- isolated changes (15 s apart, the sub idle in between):"
bench bump "127.0.0.1:$SUBD_PORT" "$WORK/root/etc/motd" 5 15000 | sed 's/^/   /'
echo "-- back-to-back changes (each 1 s after the last was seen; the CPU share paces passes):"
bench bump "127.0.0.1:$SUBD_PORT" "$WORK/root/etc/motd" 5 1000 | sed 's/^/   /'
echo "-- right after an update (v2 -> v1 -> v2, each converged, then changes 1 s apart; the"
echo "   update's own change events must not hold the first one back):"
bench update "127.0.0.1:$SUBD_PORT" "127.0.0.1:$IS_PORT" "v1=" "v2=" > /dev/null
bench bump "127.0.0.1:$SUBD_PORT" "$WORK/root/etc/motd" 3 1000 | sed 's/^/   /'
fi
echo "== done (logs in $WORK)"
