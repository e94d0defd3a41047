#!/usr/bin/env bash
# The browser sign-in against a real, headless Chromium: `login oauth` with
# Chromium as its browser, through the emulator's mock identity provider
# (the sign-in button is clicked), to the loopback receiver's success page;
# the receiver's #fragment forwarding script; and the emulator's inbox page
# (codes, links, escaping, refreshing itself). Installs Debian's chromium
# when missing. Everything stays on 127.0.0.1 (see internal/chromiumtest).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null 2>&1 && [ -z "${AUTHCTL_CHROMIUM:-}" ]; then
  echo "installing chromium"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/dev/null
fi

export AUTHCTL_TEST_CHROMIUM=1
# Keep the screenshots where CI can show them.
export AUTHCTL_TEST_ARTIFACTS="${AUTHCTL_TEST_ARTIFACTS:-$(mktemp -d)}"
start=$(date +%s)
go test -tags chromium ${AUTHCTL_GO_TEST_FLAGS:-} -count=1 -v -run Chromium ./cmd/login/ ./cmd/emulator/
echo "chromium tests took $(( $(date +%s) - start ))s; screenshots in $AUTHCTL_TEST_ARTIFACTS"
