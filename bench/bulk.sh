#!/usr/bin/env bash
# Bulk job figures of issue 8, against emulators in processes of their own:
#  - import throughput of `admin users import` (the bulk.Importer it runs)
#    against a plain Go loop of the same POST /admin/users requests at the
#    same concurrency (target ≥ 90%);
#  - peak RSS of an export of 10,000 and of 50,000 users (target: the same);
#  - peak RSS of validating (import --dry-run) 100,000 and 1,000,000 rows
#    (target: the same; issue 20).
# Seeding 50,000 users takes a couple of minutes: the emulator's email index
# is a scan.
set -euo pipefail
# tee -a: with stderr redirected to a file, a plain tee would truncate it.
cd "$(dirname "$0")/.."

# Paired: each iteration runs both on fresh emulators (separate processes),
# alternating which goes first; the percentage is the median of the pairs'
# ratios, the users/s are over all pairs.
imp=$(go test -run '^$' -bench ImportPaired -benchtime "${BENCHTIME:-30x}" -count "${COUNT:-3}" ./bench/ | tee -a /dev/stderr)
echo "$imp" | awk '
  /^BenchmarkImportPaired/ { for (i = 1; i < NF; i++) { v[$(i+1)] += $i }; n++ }
  END { printf "import: authctl %.0f users/s, plain loop %.0f users/s: %.1f%% (target >= 90%%)\n",
        v["authctl-users/s"] / n, v["plain-users/s"] / n, v["%-of-plain-loop"] / n }'

rss=$(go test -run '^$' -bench ExportRSS -benchtime 1x -timeout 30m ./bench/ | tee -a /dev/stderr)
echo "$rss" | awk '
  /^BenchmarkExportRSS\// { split($1, a, "/"); sub(/-[0-9]+$/, "", a[2]); for (i = 1; i < NF; i++) if ($(i+1) == "peak-RSS-MiB") printf "export: %6d users, peak RSS %.1f MiB\n", a[2], $i }'

val=$(go test -run '^$' -bench ValidateRSS -benchtime 1x -timeout 30m ./bench/ | tee -a /dev/stderr)
echo "$val" | awk '
  /^BenchmarkValidateRSS\// { split($1, a, "/"); sub(/-[0-9]+$/, "", a[2]); for (i = 1; i < NF; i++) if ($(i+1) == "peak-RSS-MiB") printf "import --dry-run: %7d rows, peak RSS %.1f MiB\n", a[2], $i }'
