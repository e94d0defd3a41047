#!/usr/bin/env bash
# Start-up of `authctl --help` and `authctl token` (valid session; the server
# is stopped, so a network call would fail the run) against a Go hello-world
# binary. Prints ns/op per case and the ratio DESIGN.md targets (≤ 1.5×).
# With KEYRING=1 it also measures the keyring backend, inside a private D-Bus
# session with an unlocked gnome-keyring (Debian packages gnome-keyring, dbus).
set -euo pipefail
cd "$(dirname "$0")/.."

run() {
  go test -run '^$' -bench Startup -benchtime "${BENCHTIME:-300x}" -count "${COUNT:-3}" ./bench/
}
if [ "${KEYRING:-0}" = 1 ]; then
  export -f run
  XDG_DATA_HOME=$(mktemp -d) # a fresh login keyring, unlocked with the password below
  export XDG_DATA_HOME
  out=$(dbus-run-session -- bash -c 'eval "$(printf ci | gnome-keyring-daemon --unlock --components=secrets)"; AUTHCTL_BENCH_KEYRING=1 run' | tee /dev/stderr)
else
  out=$(run | tee /dev/stderr)
fi
echo "$out" | awk '
  /^BenchmarkStartup\// { split($1, a, "/"); sub(/-[0-9]+$/, "", a[2]); sum[a[2]] += $3; n[a[2]]++ }
  END {
    h = sum["hello-world"] / n["hello-world"]
    for (k in sum) printf "%-24s %10.0f ns/op  %.2fx hello-world\n", k, sum[k] / n[k], (sum[k] / n[k]) / h
  }'
