#!/usr/bin/env bash
# Start-up of `authctl --help` and `authctl token` (valid session; the server
# is stopped, so a network call would fail the run) against a Go hello-world
# binary. Prints the median per case and the ratio DESIGN.md targets (≤ 1.5×),
# and the floors (bench/floor): programs that link what authctl links and exit.
# With KEYRING=1 it also measures the keyring backend, inside a private D-Bus
# session with an unlocked gnome-keyring (Debian packages gnome-keyring, dbus).
set -euo pipefail
cd "$(dirname "$0")/.."

# tee -a below: with stderr redirected to a file (startup.sh > log 2>&1), a
# plain tee would reopen and truncate that file.
run() {
  go test -run '^$' -bench 'Startup' -benchtime "${BENCHTIME:-300x}" -count "${COUNT:-3}" ./bench/
}
if [ "${KEYRING:-0}" = 1 ]; then
  export -f run
  XDG_DATA_HOME=$(mktemp -d) # a fresh login keyring, unlocked with the password below
  export XDG_DATA_HOME
  out=$(dbus-run-session -- bash -c 'eval "$(printf ci | gnome-keyring-daemon --unlock --components=secrets)"; AUTHCTL_BENCH_KEYRING=1 run' | tee -a /dev/stderr)
else
  out=$(run | tee -a /dev/stderr)
fi
# Medians (median-ns/op) are what the target is judged on; the mean is in
# the raw output above.
echo "$out" | awk '
  /^BenchmarkStartup(Floor)?\// {
    split($1, a, "/"); sub(/-[0-9]+$/, "", a[2])
    if (!(a[2] in n)) order[++k] = a[2]
    for (i = 2; i <= NF; i++) if ($i == "median-ns/op") { sum[a[2]] += $(i - 1); n[a[2]]++ }
  }
  END {
    h = sum["hello-world"] / n["hello-world"]
    for (j = 1; j <= k; j++) printf "%-24s %10.0f ns median  %.2fx hello-world\n", order[j], sum[order[j]] / n[order[j]], (sum[order[j]] / n[order[j]]) / h
  }'
