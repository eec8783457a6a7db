#!/bin/sh
# Runs a command inside a private D-Bus session with an unlocked gnome-keyring (empty
# password, Secret Service only): what qtkeychain talks to on Linux. The keyring files live
# in a temporary folder, removed afterwards. Used by ctest for tst_keyring; exits 77 (ctest:
# skipped) when dbus-run-session or gnome-keyring-daemon is missing.
set -eu
if [ -z "${SB_KEYRING_SESSION:-}" ]; then
  for tool in dbus-run-session gnome-keyring-daemon; do
    if ! command -v "$tool" >/dev/null 2>&1; then
      echo "with-keyring: $tool is not installed (scripts/install-deps.sh)" >&2
      exit 77
    fi
  done
  SB_KEYRING_SESSION=1 exec dbus-run-session -- "$0" "$@"
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -m 700 "$tmp/data" "$tmp/runtime"
export XDG_DATA_HOME="$tmp/data" XDG_RUNTIME_DIR="$tmp/runtime"
# The daemon prints the variables to export; it leaves with the session bus.
eval "$(printf '\n' | gnome-keyring-daemon --unlock --components=secrets)"
export GNOME_KEYRING_CONTROL
status=0
"$@" || status=$?
exit "$status"
