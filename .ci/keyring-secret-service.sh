#!/usr/bin/env bash
# The keyring backend against a real Secret Service: gnome-keyring on a
# private D-Bus session, unlocked with a throwaway password. Installs the
# Debian packages when missing.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v gnome-keyring-daemon >/dev/null 2>&1 || ! command -v dbus-run-session >/dev/null 2>&1; then
  echo "installing gnome-keyring and dbus"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gnome-keyring dbus dbus-x11) >/dev/null
fi

start=$(date +%s)
# A throwaway keyring directory: a login keyring left by an earlier run (with
# another password) would stay locked.
XDG_DATA_HOME=$(mktemp -d)
export XDG_DATA_HOME
trap 'rm -rf "$XDG_DATA_HOME"' EXIT
dbus-run-session -- bash -c '
  set -euo pipefail
  # --unlock reads the password from stdin and creates the login keyring.
  eval "$(printf "ci-password" | gnome-keyring-daemon --unlock --components=secrets)"
  export GNOME_KEYRING_CONTROL
  AUTHCTL_TEST_SECRET_SERVICE=1 go test -count=1 -v -run "TestRealSecretService" ./internal/keyring/
'
# Outside any D-Bus session, with dbus-launch installed: no command may
# autolaunch a bus (and the gnome-keyring-daemon it would start).
env -u DBUS_SESSION_BUS_ADDRESS go test -count=1 -run TestNoCommandLeavesAProcessBehind ./internal/e2e/
echo "secret service tests took $(( $(date +%s) - start ))s"
