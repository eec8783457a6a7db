#!/usr/bin/env bash
# The studio's file dialogs on a real X server (Xvfb + openbox), driven from outside with
# xdotool as a user would: start the studio on its start page, press Ctrl+O, screenshot,
# check the process is alive and the dialog lists files, press Escape. Then run the
# in-process test of both dialogs (Ctrl+O and "Choose file..." in the import dialog) on the
# same X server. Screenshots go to OUT_DIR; look at them.
#
# usage: xvfb-run -a tests/app/xvfb-filedialogs.sh BUILD_DIR OUT_DIR
# Exit 0 when the studio survived and the dialogs opened, 1 otherwise, 2 on bad usage.
set -uo pipefail

if [ $# -ne 2 ] || [ -z "${DISPLAY:-}" ]; then
  echo "usage: xvfb-run -a $0 BUILD_DIR OUT_DIR" >&2
  exit 2
fi
build="$(cd "$1" && pwd)" || exit 2
out="$2"
mkdir -p "$out" && out="$(cd "$out" && pwd)"
for tool in openbox xdotool import; do
  command -v "$tool" >/dev/null || { echo "$0: $tool is missing" >&2; exit 2; }
done
studio="$build/app/switchboard"
[ -x "$studio" ] || { echo "$0: no $studio" >&2; exit 2; }

scratch=$(mktemp -d)
export SWITCHBOARD_SETTINGS_DIR="$scratch/settings"
export QT_QPA_PLATFORM=xcb
openbox >/dev/null 2>&1 &
wm=$!
failures=0
cleanup() { kill "${app:-}" "$wm" 2>/dev/null; rm -rf "$scratch"; }
trap cleanup EXIT

(cd "$scratch" && exec "$studio") 2>"$scratch/stderr.txt" &
app=$!
if ! xdotool search --sync --onlyvisible --name "Switchboard" >/dev/null 2>&1; then
  echo "FAIL the studio window did not appear"; exit 1
fi
# Software GL on a busy machine can take many seconds to draw the first frame: wait until
# the screen shows more than the black background and the window frame.
shoot() {  # shoot FILE MIN_COLOURS: screenshot once the screen has that many colours
  for _ in $(seq 1 60); do
    import -window root "$1"
    [ "$(identify -format %k "$1" 2>/dev/null || echo 0)" -ge "$2" ] && return 0
    sleep 1
  done
  return 1
}
shoot "$out/xvfb-1-start-page.png" 50 || { echo "FAIL  the start page was never drawn"; exit 1; }
win=$(xdotool search --onlyvisible --name "Switchboard" | head -n1)
xdotool windowactivate --sync "$win" 2>/dev/null || xdotool windowfocus "$win"
before=$(identify -format %# "$out/xvfb-1-start-page.png")
xdotool key --window "$win" ctrl+o
for _ in $(seq 1 60); do  # until the dialog has been drawn over the start page
  sleep 1
  import -window root "$out/xvfb-2-ctrl-o.png"
  [ "$(identify -format %# "$out/xvfb-2-ctrl-o.png")" != "$before" ] && break
done
sleep 2
import -window root "$out/xvfb-2-ctrl-o.png"
if kill -0 "$app" 2>/dev/null; then
  echo "ok    the studio is alive after Ctrl+O"
else
  wait "$app"; echo "FAIL  the studio exited with $? after Ctrl+O"; failures=$((failures + 1))
fi
if grep -q 'is not installed' "$scratch/stderr.txt"; then
  echo "FAIL  a QML module is missing:"; grep 'is not installed' "$scratch/stderr.txt"
  failures=$((failures + 1))
fi
xdotool key --window "$win" Escape
sleep 1
kill "$app" 2>/dev/null; wait "$app" 2>/dev/null

# Both dialogs through the studio's own items, on this X server.
if (cd "$out" && "$build/tests/app/tst_startup" fileDialogsOpen); then
  echo "ok    tst_startup fileDialogsOpen on X (screenshots filedialog-*.png)"
else
  echo "FAIL  tst_startup fileDialogsOpen on X"; failures=$((failures + 1))
fi
[ "$failures" -eq 0 ] && { echo "file dialogs: ok ($out)"; exit 0; }
echo "file dialogs: FAILED ($failures)"; exit 1
