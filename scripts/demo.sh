#!/usr/bin/env bash
# authctl's main job against the embedded emulator, end to end, with nothing
# configured: start the emulator, sign up, sign in, use the token, sign out.
# Everything happens in a throwaway directory; nothing touches your keyring.
set -euo pipefail
cd "$(dirname "$0")/.."

# Bold headings only on a terminal, and never when NO_COLOR is set
# (no-color.org): piped into a file or a pager, escape codes are noise.
bold='' plain=''
if [ -t 1 ] && [ -z "${NO_COLOR:-}" ]; then bold=$'\033[1m' plain=$'\033[0m'; fi

work=$(mktemp -d)
trap 'kill "${emu_pid:-}" 2>/dev/null || true; rm -rf "$work"' EXIT
export AUTHCTL_CONFIG_DIR="$work/config" AUTHCTL_STORAGE=file NO_COLOR=1

go build -o "$work/authctl" .
authctl() { "$work/authctl" "$@"; }

port=${DEMO_PORT:-54399}
# The binary itself, not the shell function: $! must be the server's pid.
"$work/authctl" emulator --port "$port" --password-cost 4 --json > "$work/emulator.json" 2> "$work/emulator.log" &
emu_pid=$!
for _ in $(seq 50); do grep -q anon_key "$work/emulator.json" 2>/dev/null && break; sleep 0.1; done
export SUPABASE_URL="http://127.0.0.1:$port"

say() { printf '\n%s$ %s%s\n' "$bold" "$*" "$plain"; }

email="demo-$RANDOM@example.com"
say "authctl signup --email $email --password-stdin"
echo 'correct-horse-9' | authctl signup --email "$email" --password-stdin
say "authctl logout"
authctl logout
say "authctl login password --email $email --password-stdin"
echo 'correct-horse-9' | authctl login password --email "$email" --password-stdin
say "authctl user"
authctl user
say "curl -H \"Authorization: Bearer \$(authctl token)\" \$SUPABASE_URL/user"
curl -fsS -H "Authorization: Bearer $(authctl token)" "$SUPABASE_URL/user" | head -c 200; echo …
say "authctl session --jq .user.email"
authctl session --jq .user.email
say "# as an admin (service-role key from the emulator's start-up output)"
export SUPABASE_SERVICE_ROLE_KEY=$(sed -n 's/.*"service_role_key": *"\([^"]*\)".*/\1/p' "$work/emulator.json")
say "authctl admin users create --email ci-$email --email-confirm --password-stdin"
echo 'another-horse-7' | authctl admin users create --email "ci-$email" --email-confirm --password-stdin >/dev/null
say "authctl admin users list --filter demo"
authctl admin users list --filter demo
say "authctl admin users session --email ci-$email | cut -c1-40   # a session without the password"
authctl admin users session --email "ci-$email" | cut -c1-40
unset SUPABASE_SERVICE_ROLE_KEY

say "authctl logout --scope global"
authctl logout --scope global
say "authctl token   # not signed in: exit code 3"
authctl token || echo "exit code $?"
