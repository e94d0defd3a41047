#!/usr/bin/env bash
# Start-up of `authctl --help` and `authctl token` (valid session, file
# backend, server stopped: a network call would fail) against a Go
# hello-world binary. Prints ns/op per case and the ratios DESIGN.md targets
# (≤ 1.5×).
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(go test -run '^$' -bench Startup -benchtime "${BENCHTIME:-300x}" -count "${COUNT:-3}" ./bench/ | tee /dev/stderr)
echo "$out" | awk '
  /^BenchmarkStartup\// { split($1, a, "/"); sub(/-[0-9]+$/, "", a[2]); sum[a[2]] += $3; n[a[2]]++ }
  END {
    h = sum["hello-world"] / n["hello-world"]
    for (k in sum) printf "%-20s %10.0f ns/op  %.2fx hello-world\n", k, sum[k] / n[k], (sum[k] / n[k]) / h
  }'
