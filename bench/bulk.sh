#!/usr/bin/env bash
# Bulk job figures of issue 8, against in-process emulators:
#  - import throughput of `admin users import` (the bulk.Importer it runs)
#    against a plain Go loop of the same POST /admin/users requests at the
#    same concurrency (target ≥ 90%);
#  - peak RSS of an export of 10,000 and of 50,000 users (target: the same).
# Seeding 50,000 users takes a couple of minutes: the emulator's email index
# is a scan.
set -euo pipefail
cd "$(dirname "$0")/.."

imp=$(go test -run '^$' -bench Import -benchtime "${BENCHTIME:-5x}" -count "${COUNT:-5}" ./bench/ | tee /dev/stderr)
echo "$imp" | awk '
  /^BenchmarkImport\// { split($1, a, "/"); sub(/-[0-9]+$/, "", a[2]); for (i = 1; i < NF; i++) if ($(i+1) == "users/s") { sum[a[2]] += $i; n[a[2]]++ } }
  END {
    p = sum["plain-loop"] / n["plain-loop"]; c = sum["authctl"] / n["authctl"]
    printf "import: authctl %.0f users/s, plain loop %.0f users/s: %.0f%% (target >= 90%%)\n", c, p, 100 * c / p
  }'

rss=$(go test -run '^$' -bench ExportRSS -benchtime 1x -timeout 30m ./bench/ | tee /dev/stderr)
echo "$rss" | awk '
  /^BenchmarkExportRSS\// { split($1, a, "/"); sub(/-[0-9]+$/, "", a[2]); for (i = 1; i < NF; i++) if ($(i+1) == "peak-RSS-MiB") printf "export: %6d users, peak RSS %.1f MiB\n", a[2], $i }'
