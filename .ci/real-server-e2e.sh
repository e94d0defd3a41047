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

# What the server sends out and whom it trusts, the suite's harness serves
# (internal/e2e/realserver_test.go) on the next ports: the Send SMS and Send
# Email hooks (phone MFA codes, mailed links; there is no SMTP or SMS
# provider), an OpenID Connect provider behind the keycloak provider
# (`login oauth`, `identities link`, `login id-token`) and the SAML identity
# providers the tests register for `login sso`. The server is started with
# the matching settings; the harness refuses to run without them.
export AUTHCTL_E2E_HOOK_ADDR=${AUTHCTL_E2E_HOOK_ADDR:-127.0.0.1:$((port + 1))}
export AUTHCTL_E2E_HOOK_SECRET="v1,whsec_$(openssl rand -base64 32)"
export AUTHCTL_E2E_OIDC_URL=${AUTHCTL_E2E_OIDC_URL:-http://127.0.0.1:$((port + 2))}
export AUTHCTL_E2E_OIDC_CLIENT_ID=authctl-e2e
export AUTHCTL_E2E_OIDC_SECRET=$(openssl rand -hex 16)
for hook in SMS EMAIL; do
  lower=$(echo "$hook" | tr 'A-Z' 'a-z')
  export "GOTRUE_HOOK_SEND_${hook}_ENABLED=true"
  export "GOTRUE_HOOK_SEND_${hook}_URI=http://$AUTHCTL_E2E_HOOK_ADDR/$lower"
  export "GOTRUE_HOOK_SEND_${hook}_SECRETS=$AUTHCTL_E2E_HOOK_SECRET"
done
export GOTRUE_EXTERNAL_KEYCLOAK_ENABLED=true
export GOTRUE_EXTERNAL_KEYCLOAK_URL=$AUTHCTL_E2E_OIDC_URL
export GOTRUE_EXTERNAL_KEYCLOAK_CLIENT_ID=$AUTHCTL_E2E_OIDC_CLIENT_ID
export GOTRUE_EXTERNAL_KEYCLOAK_SECRET=$AUTHCTL_E2E_OIDC_SECRET
export GOTRUE_EXTERNAL_KEYCLOAK_REDIRECT_URI=http://127.0.0.1:$port/callback
export AUTHCTL_E2E_SAML_URL=${AUTHCTL_E2E_SAML_URL:-http://127.0.0.1:$((port + 3))}
export GOTRUE_SAML_ENABLED=true
# the server's SAML signing key: base64 DER of a PKCS#1 RSA key
GOTRUE_SAML_PRIVATE_KEY=$(openssl genrsa -traditional 2048 2>/dev/null | openssl rsa -traditional -outform DER 2>/dev/null | base64 -w0)
export GOTRUE_SAML_PRIVATE_KEY

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
# The real server is slower than the emulator (every write waits for
# PostgreSQL): the whole suite takes about ten minutes, go test's default limit.
go test -count=1 -timeout 30m ${AUTHCTL_GO_TEST_FLAGS:-} ./internal/e2e/ || status=$?
if [ "$status" -ne 0 ]; then
  echo "last lines of the real server's log:"; tail -20 "$state/auth.log" || true
fi
echo "real-server e2e took $(( $(date +%s) - start ))s"
exit "$status"
