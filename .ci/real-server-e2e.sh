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
ref=$(cd "$ref" && pwd)
variant_states=()
stop() {
  local vs
  for vs in "${variant_states[@]}"; do
    REFSERVER_STATE=$vs "$vs/ref/down.sh" "$(cat "$vs/port")" >/dev/null 2>&1 || true
  done
  "$ref/down.sh" "$port" >/dev/null 2>&1 || true
  rm -rf "$state"
}
trap stop EXIT

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

# The variants (.ci/server-variants): servers like this one but for a few
# settings, for the tests of a setting this one has the other way; each on a
# port after the harness's three, its URL in AUTHCTL_E2E_URL_<NAME>. up.sh
# reads its own auth.env after the caller's environment, so a setting that
# auth.env has cannot be overridden by exporting it: each variant gets a
# directory of links to the reference server's files (up.sh finds them
# beside its own path) with an auth.env of its own. They share the database
# (every test uses addresses of its own; a variant's migrate finds nothing
# to do) and the unpacked binary, so a variant costs one server start.
#
# ASYMMETRIC ($jwt_keys_es256 in .ci/server-variants) signs with an ES256 key
# of its own (GOTRUE_JWT_KEYS, a JWK set
# with the one signing key), made here from a fresh P-256 key: in its SEC1
# DER form (121 bytes) d is the 32 bytes at offset 7, x and y the 64 at 57.
openssl ecparam -name prime256v1 -genkey -noout | openssl ec -outform DER -out "$state/es256.der" 2>/dev/null
[ "$(wc -c <"$state/es256.der")" -eq 121 ] || { echo "unexpected P-256 key form"; exit 1; }
der32() { tail -c +$(($1 + 1)) "$state/es256.der" | head -c 32 | basenc --base64url -w0 | tr -d '='; }
jwt_keys_es256='[{"kty":"EC","crv":"P-256","alg":"ES256","kid":"authctl-e2e","key_ops":["sign","verify"],'
jwt_keys_es256+="\"d\":\"$(der32 7)\",\"x\":\"$(der32 57)\",\"y\":\"$(der32 89)\"}]"
vport=$((port + 4))
pids=()
while read -r name settings; do
  case $name in '' | '#'*) continue ;; esac
  vs=$state/variant-$name
  mkdir -p "$vs/ref"
  for f in "$ref"/*; do
    [ "$(basename "$f")" = auth.env ] || ln -s "$f" "$vs/ref/"
  done
  cp "$ref/auth.env" "$vs/ref/auth.env"
  for kv in $settings; do
    key=${kv%%=*} value=${kv#*=}
    case $value in '$'*) value=${value#'$'} && value=${!value} ;; esac
    grep -v "^$key=" "$vs/ref/auth.env" >"$vs/auth.env.tmp" || true
    echo "$key='$value'" >>"$vs/auth.env.tmp"
    mv "$vs/auth.env.tmp" "$vs/ref/auth.env"
  done
  ln "$state/auth" "$vs/auth"
  echo "$vport" >"$vs/port"
  variant_states+=("$vs")
  REFSERVER_STATE=$vs "$vs/ref/up.sh" "$vport" >"$vs/e2e.env" 2>"$vs/up.log" </dev/null &
  pids+=($!)
  export "AUTHCTL_E2E_URL_$name=http://127.0.0.1:$vport/"
  vport=$((vport + 1))
done <.ci/server-variants
for i in "${!pids[@]}"; do
  if ! wait "${pids[$i]}"; then
    vs=${variant_states[$i]}
    echo "the variant server $(basename "$vs") did not start:"; cat "$vs/up.log"; tail -20 "$vs/auth.log" 2>/dev/null || true
    exit 1
  fi
done
echo "${#pids[@]} variant servers up after $(( $(date +%s) - start ))s"

status=0
# The real server is slower than the emulator (every write waits for
# PostgreSQL): the whole suite takes about ten minutes, go test's default limit.
go test -count=1 -timeout 30m ${AUTHCTL_GO_TEST_FLAGS:-} ./internal/e2e/ || status=$?
if [ "$status" -ne 0 ]; then
  echo "last lines of the real server's log:"; tail -20 "$state/auth.log" || true
  for vs in "${variant_states[@]}"; do
    if [ -s "$vs/auth.log" ]; then echo "last lines of the log of $(basename "$vs"):"; tail -10 "$vs/auth.log"; fi
  done
fi
echo "real-server e2e took $(( $(date +%s) - start ))s"
exit "$status"
