#!/usr/bin/env bash
# What each dependency's package initialization costs at every authctl start
# (GODEBUG=inittrace=1), summed per module, median of RUNS starts. Standard
# library packages are one row ("std"), authctl's own packages another.
#
#   ./bench/inittrace.sh            (RUNS=200 by default)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$(mktemp -d)/authctl
trap 'rm -rf "$(dirname "$bin")"' EXIT
CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o "$bin" .
# package -> module (std packages have none)
go list -deps -f '{{.ImportPath}} {{if .Module}}{{.Module.Path}}{{else}}std{{end}}' . > "$bin.mods"
for _ in $(seq "${RUNS:-200}"); do
  GODEBUG=inittrace=1 "$bin" version 2>&1 >/dev/null | awk '/^init /{print $2, $5, $8, $10}'
  echo "--"
done | awk -v mods="$bin.mods" '
  BEGIN { while ((getline l < mods) > 0) { split(l, f, " "); mod[f[1]] = f[2] } }
  $0 == "--" { for (m in cur) { v[m, ++n[m]] = cur[m] } delete cur; runs++; next }
  { m = ($1 in mod) ? mod[$1] : "std"; if (m == "github.com/authctl/authctl") m = "authctl(own-packages)"
    cur[m] += $2; bytes[m] += $3; allocs[m] += $4 }
  END {
    for (m in n) {
      k = n[m]; for (i = 1; i <= k; i++) a[i] = v[m, i]
      for (i = 2; i <= k; i++) { x = a[i]; j = i - 1; while (j > 0 && a[j] > x) { a[j + 1] = a[j]; j-- } a[j + 1] = x }
      printf "%-40s %7.3f ms %9d B %6d allocs\n", m, a[int((k + 1) / 2)], bytes[m] / runs, allocs[m] / runs
    }
  }' | sort -k2 -n -r
