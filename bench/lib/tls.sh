# Sourced by the benchmark scripts: TLS for one run, as in production, or plain HTTP.
#   bench_tls_setup DIR CERTTOOL ROLE...  with TLS=1 (the default): a CA in DIR/ca and, for each
#       ROLE, a certificate of that role for 127.0.0.1 in DIR/ROLE; with TLS=0: nothing
#   bench_daemon_flags ROLE               a daemon's flags: --ca --cert --key, or
#                                         --permit-insecure-mode
#   bench_client_flags ROLE               a CLI's flags: --ca --cert --key, or --insecure
# and sets SCHEME (https or http) and CURL (curl trusting the run's CA).
bench_tls_setup() {
  local dir="$1" certtool="$2" role
  shift 2
  BENCH_PKI="$dir"
  if [ "${TLS:-1}" != 1 ]; then
    SCHEME=http
    CURL=(curl)
    return
  fi
  rm -rf "$dir"
  "$certtool" init-ca --name "Dominion benchmark CA" "$dir/ca" >/dev/null
  for role in "$@"; do
    "$certtool" issue --ca "$dir/ca" --name "bench-$role" --role "$role" --days 30 \
      --host 127.0.0.1 "$dir/$role" >/dev/null
  done
  SCHEME=https
  CURL=(curl --cacert "$dir/ca/CA.pem")
}
bench_cert_flags() { echo --ca "$BENCH_PKI/ca/CA.pem" --cert "$BENCH_PKI/$1/cert.pem" --key "$BENCH_PKI/$1/key.pem"; }
bench_daemon_flags() { if [ "${TLS:-1}" = 1 ]; then bench_cert_flags "$1"; else echo --permit-insecure-mode; fi; }
bench_client_flags() { if [ "${TLS:-1}" = 1 ]; then bench_cert_flags "$1"; else echo --insecure; fi; }
