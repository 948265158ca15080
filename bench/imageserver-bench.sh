#!/usr/bin/env bash
# Times `imagetool add` of the benchmark corpus (v1, then v2 on top of it) against a fresh
# imageserver, beside `tar czf` and `ostree commit` of the same trees, interleaved in the same
# run so that the machine's load weighs on all of them alike.
#
#   bench/imageserver-bench.sh [CORPUS]      (default CORPUS: /work/corpus; RUNS=3 rounds)
#
# TLS=1 (the default): imageserver and imagetool use TLS with certificates from a CA made for the
# run, as in production; TLS=0: plain HTTP and insecure mode.
#
# CORPUS holds v1/, v2/ and, optionally, v1.tar.gz and v2.tar.gz (see
# ../shared/bench/make-corpus.sh). Directory sources are always timed, archives when present.
# Each figure is the median of RUNS rounds (every round's value in brackets). Not a test: it
# prints figures and checks nothing. Targets: adding v2 after v1 uploads and stores no more than
# 5% above the content v2 adds, and a full add takes no longer than `ostree commit` of the tree.
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
TOP="$(dirname "$HERE")"
CORPUS="${1:-/work/corpus}"
RUNS="${RUNS:-3}"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/imageserver-bench.XXXXXX")"
SERVER_PID=""

cleanup() {
  if [ -n "$SERVER_PID" ]; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

for v in v1 v2; do
  [ -d "$CORPUS/$v" ] || { echo "bench: $CORPUS/$v is missing; build the corpus first" >&2; exit 1; }
done
for tool in ostree curl python3; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is not installed" >&2; exit 1; }
done

# Build once up front so that no timed run includes a build.
if [ ! -f "$TOP/imagetool/target/imagetool.jar" ] || [ ! -f "$TOP/imageserver/target/imageserver.jar" ] ||
  [ ! -f "$TOP/certtool/target/certtool.jar" ]; then
  "$TOP/bin/build" >&2
fi

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
mib() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1048576 }'; }
disk_bytes() { du -sb "$1" | awk '{ print $1 }'; }
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
record() { echo "$2" >>"$WORK/times/$1"; }  # record NAME VALUE
source "$HERE/lib/tls.sh"
bench_tls_setup "$WORK/pki" "$TOP/bin/certtool" imageserver image-builder admin
# shellcheck disable=SC2086 # the TLS flags are words without spaces (paths under $WORK)
imagetool() { "$TOP/bin/imagetool" $(bench_client_flags image-builder) --image-server "127.0.0.1:$PORT" "$@"; }
# shellcheck disable=SC2086 # mkdir needs an admin's certificate
imagetool_admin() { "$TOP/bin/imagetool" $(bench_client_flags admin) --image-server "127.0.0.1:$PORT" "$@"; }

metric() {  # metric NAME: a gauge from the running server's /metrics
  "${CURL[@]}" -fsS "$SCHEME://127.0.0.1:$PORT/metrics" | awk -v m="dominion_imageserver_$1" '$1 == m { print $2 }'
}

start_server() {  # start_server DATADIR
  PORT="$(free_port)"
  # shellcheck disable=SC2086
  "$TOP/bin/imageserver" --data-dir "$1" --bind 127.0.0.1 --port "$PORT" $(bench_daemon_flags imageserver) \
    >"$WORK/imageserver.log" 2>&1 &
  SERVER_PID=$!
  local deadline=$((SECONDS + 60))
  until "${CURL[@]}" -fsS "$SCHEME://127.0.0.1:$PORT/healthz" >/dev/null 2>&1; do
    if [ $SECONDS -ge $deadline ] || ! kill -0 "$SERVER_PID" 2>/dev/null; then
      echo "bench: imageserver did not start; its log:" >&2
      cat "$WORK/imageserver.log" >&2
      exit 1
    fi
    sleep 0.2
  done
}

stop_server() {
  kill "$SERVER_PID"
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=""
}

# The content v2 adds, from the corpus's stats when present: SHA-512 objects not in v1.
NEW_CONTENT=""
if [ -f "$CORPUS/stats.txt" ]; then
  NEW_CONTENT="$(sed -n 's/.*objects in v2 not anywhere in v1: [0-9]*, bytes \([0-9]*\).*/\1/p' "$CORPUS/stats.txt")"
fi

KINDS="dir"
[ -f "$CORPUS/v1.tar.gz" ] && [ -f "$CORPUS/v2.tar.gz" ] && KINDS="dir tgz"
mkdir -p "$WORK/times"

# OSTree trees cannot hold device nodes (real systems mount devtmpfs on /dev), so ostree
# commits copies without them (a few character devices in /dev), as peers.sh does.
for v in v1 v2; do
  cp -a "$CORPUS/$v" "$WORK/ostree-$v"
  find "$WORK/ostree-$v" \( -type b -o -type c -o -type p -o -type s \) -delete
done
# Warm the page cache so that every tool reads its input from memory.
tar cf - -C "$CORPUS" v1 v2 | cat >/dev/null
tar cf - -C "$WORK" ostree-v1 ostree-v2 | cat >/dev/null
for f in v1.tar.gz v2.tar.gz; do [ -f "$CORPUS/$f" ] && cat "$CORPUS/$f" >/dev/null; done

# One round of imagetool adds of v1 then v2, from directories or archives, to a fresh server.
round_adds() {  # round_adds KIND
  local kind="$1" suffix="" data="$WORK/data-$1"
  [ "$kind" = tgz ] && suffix=".tar.gz"
  rm -rf "$data"
  start_server "$data"
  imagetool_admin mkdir bench
  for v in v1 v2; do
    local before after t0 t1 out
    before="$(metric object_bytes)"
    t0="$(now)"
    if ! out="$(imagetool add "bench/$kind-$v" "$CORPUS/$v$suffix" "" "" 2>"$WORK/imagetool.err")"; then
      echo "bench: imagetool add failed:" >&2
      cat "$WORK/imagetool.err" >&2
      exit 1
    fi
    t1="$(now)"
    after="$(metric object_bytes)"
    record "add-$kind-$v" "$(elapsed "$t0" "$t1")"
    sed -n 's/.*uploaded \([0-9]*\) of \([0-9]*\) objects, [^(]*(\([0-9]*\) bytes).*/\3 \1 \2/p' \
      <<<"$out" >"$WORK/uploaded-$kind-$v"
    echo $((after - before)) >"$WORK/growth-$kind-$v"
  done
  disk_bytes "$data/objects" >"$WORK/disk-$kind"
  stop_server
}

round_peers() {
  for v in v1 v2; do
    local t0 t1
    t0="$(now)"
    tar czf "$WORK/$v.tar.gz" -C "$CORPUS" "$v"
    t1="$(now)"
    record "tar-$v" "$(elapsed "$t0" "$t1")"
    stat -c %s "$WORK/$v.tar.gz" >"$WORK/tarsize-$v"
  done
  rm -rf "$WORK/ostree"
  ostree init --repo="$WORK/ostree" --mode=archive
  for v in v1 v2; do
    local before after t0 t1
    before="$(disk_bytes "$WORK/ostree")"
    t0="$(now)"
    ostree commit --repo="$WORK/ostree" --branch=b --tree=dir="$WORK/ostree-$v" >/dev/null
    t1="$(now)"
    after="$(disk_bytes "$WORK/ostree")"
    record "ostree-$v" "$(elapsed "$t0" "$t1")"
    echo $((after - before)) >"$WORK/ostreegrowth-$v"
  done
}

for round in $(seq 1 "$RUNS"); do
  echo "round $round of $RUNS..." >&2
  for kind in $KINDS; do
    round_adds "$kind"
  done
  round_peers
done

median() {  # median NAME: "MEDIAN [a b c]"
  sort -n "$WORK/times/$1" | awk '{ v[NR] = $1 } END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%6.2f s", m }'
  printf ' [%s]' "$(paste -sd' ' "$WORK/times/$1")"
}

echo "imageserver benchmark: corpus $CORPUS, $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg), $RUNS rounds, $(date -u +%FT%TZ)"
[ -n "$NEW_CONTENT" ] && echo "v2 adds $NEW_CONTENT bytes ($(mib "$NEW_CONTENT") MiB) of content v1 lacks"
echo
for kind in $KINDS; do
  for v in v1 v2; do
    read -r up_bytes up_objects all_objects <"$WORK/uploaded-$kind-$v"
    growth="$(cat "$WORK/growth-$kind-$v")"
    printf '%-24s %-28s uploaded %6s MiB (%5d of %5d objects), store +%6s MiB' \
      "imagetool add $kind $v" "$(median "add-$kind-$v")" "$(mib "$up_bytes")" "$up_objects" \
      "$all_objects" "$(mib "$growth")"
    if [ "$v" = v2 ] && [ -n "$NEW_CONTENT" ]; then
      awk -v u="$up_bytes" -v g="$growth" -v n="$NEW_CONTENT" \
        'BEGIN { printf " (upload %+.1f%%, store %+.1f%% vs new content)", 100 * (u - n) / n, 100 * (g - n) / n }'
    fi
    echo
  done
  echo "  object store on disk after both: $(mib "$(cat "$WORK/disk-$kind")") MiB"
done
for v in v1 v2; do
  printf '%-24s %-28s archive %6s MiB\n' "tar czf $v" "$(median "tar-$v")" \
    "$(mib "$(cat "$WORK/tarsize-$v")")"
done
for v in v1 v2; do
  printf '%-24s %-28s repo +%6s MiB\n' "ostree commit $v" "$(median "ostree-$v")" \
    "$(mib "$(cat "$WORK/ostreegrowth-$v")")"
done
