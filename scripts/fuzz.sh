#!/usr/bin/env bash
# Runs every fuzz target in the module for ${FUZZTIME:-15s} each, one after
# the other (go test -fuzz takes one target and one package at a time).
# A crasher makes go test fail and is written to the package's
# testdata/fuzz/FuzzXxx/: commit it, and plain `go test` replays it as a
# regression test from then on. Extra go flags (e.g. -overlay) come from
# $FUZZ_FLAGS.
set -euo pipefail
cd "$(dirname "$0")/.."

# 15 s each keeps the 11 targets of today near 3 minutes on two cores,
# instrumented builds included.
fuzztime="${FUZZTIME:-15s}"
flags=(${FUZZ_FLAGS:-})
# Two workers: CI has two cores, and more would only slow each target down.
parallel="${FUZZ_PARALLEL:-2}"

targets=()
# Only packages with a candidate file are asked (go test -list compiles the
# package's tests, which for all of ./... costs more than a target's run).
dirs=$(grep -rl --include='*_test.go' '^func Fuzz' . | xargs -r -n1 dirname | sort -u)
for pkg in $dirs; do
  # -list runs no test; it prints the matching names, then "ok ...".
  for name in $(go test "${flags[@]}" -list '^Fuzz' -run '^$' "$pkg" | grep '^Fuzz' || true); do
    targets+=("$pkg $name")
  done
done
if [ ${#targets[@]} -eq 0 ]; then
  echo "no fuzz targets found" >&2; exit 1
fi

# crashers lists the crasher files go test has written for a target.
crashers() { ls "$1/testdata/fuzz/$2" 2>/dev/null || true; }

failed=0
for t in "${targets[@]}"; do
  set -- $t
  echo "== fuzz $1 $2 ($fuzztime)"
  before=$(crashers "$1" "$2")
  for attempt in 1 2; do
    if go test "${flags[@]}" -run '^$' -fuzz "^$2\$" -fuzztime "$fuzztime" -parallel "$parallel" "$1"; then
      break
    fi
    if [ "$(crashers "$1" "$2")" != "$before" ]; then
      echo "FAIL: $1 $2 found a crasher (see its testdata/fuzz/$2/)" >&2
      failed=1
      break
    fi
    # No crasher written: go's fuzzing engine sometimes fails with "context
    # deadline exceeded" when -fuzztime ends while a worker is mid-input.
    # That is no finding; a second failure is reported all the same.
    if [ "$attempt" = 2 ]; then
      echo "FAIL: $1 $2 failed twice without writing a crasher" >&2
      failed=1
    else
      echo "$1 $2 failed without writing a crasher (go's fuzzing deadline); running it again" >&2
    fi
  done
done
exit $failed
