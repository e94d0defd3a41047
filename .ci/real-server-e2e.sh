#!/usr/bin/env bash
# The whole end-to-end suite against a real Supabase Auth server: the unmodified
# v2.196.0 build in ../shared/reference-server (PostgreSQL from Debian's
# packages, installed by up.sh when missing), on a loopback port of its own.
# `make test` runs the same suite against the emulator; a test that passes
# there must pass here too (DESIGN.md: the real server wins).
set -euo pipefail
cd "$(dirname "$0")/.."

ref=${REFSERVER_DIR:-../shared/reference-server}
port=${REFSERVER_PORT:-9898}
state=$(mktemp -d)
export REFSERVER_STATE=$state
trap '"$ref/down.sh" "$port" >/dev/null 2>&1 || true; rm -rf "$state"' EXIT

start=$(date +%s)
# up.sh's output goes to a file, never through "$(…)": the server it starts
# inherits that stdout, so a command substitution would wait for it forever.
if ! "$ref/up.sh" "$port" >"$state/e2e.env"; then
  echo "the reference server did not start; its log:"; tail -20 "$state/auth.log" 2>/dev/null || true
  exit 1
fi
# shellcheck disable=SC1091
. "$state/e2e.env"
echo "real server $AUTHCTL_E2E_URL up in $(( $(date +%s) - start ))s"

status=0
go test -count=1 ${AUTHCTL_GO_TEST_FLAGS:-} ./internal/e2e/ || status=$?
if [ "$status" -ne 0 ]; then
  echo "last lines of the real server's log:"; tail -20 "$state/auth.log" || true
fi
echo "real-server e2e took $(( $(date +%s) - start ))s"
exit "$status"
