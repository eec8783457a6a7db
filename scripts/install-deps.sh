#!/usr/bin/env bash
# Installs the Debian 12 packages that building, running and testing Switchboard need.
# Does nothing (and needs no network) when every package is already present.
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build pkg-config git
  qt6-base-dev qt6-base-dev-tools qt6-declarative-dev qt6-httpserver-dev qt6-websockets-dev qt6-svg-dev
  qt6-tools-dev-tools qt6-declarative-dev-tools
  qml6-module-qtquick qml6-module-qtquick-controls qml6-module-qtquick-layouts
  qml6-module-qtquick-shapes qml6-module-qtquick-dialogs qml6-module-qtquick-window
  qml6-module-qtquick-templates qml6-module-qtqml-workerscript qml6-module-qttest
  qml6-module-qtqml-models
  qml6-module-qtqml qml6-module-qt-labs-settings qml6-module-qtcore
  qml6-module-qt-labs-platform qml6-module-qt-labs-folderlistmodel
  libqt6svg6 qt6-qpa-plugins
  nlohmann-json3-dev libsqlite3-dev postgresql libpq-dev libyaml-cpp-dev libvalijson-dev libhttp-parser-dev
  xvfb xauth libgl1-mesa-dri fonts-dejavu-core openbox xdotool imagemagick
  dpkg-dev file desktop-file-utils appstream librsvg2-bin libxml2-utils shared-mime-info
  qtkeychain-qt6-dev gnome-keyring dbus-daemon
  nodejs
)

# json-server 0.17.4, the third-party REST server of tst_jsonserver, in build/json-server
# (the test installs it itself when this could not, and skips without npm or a registry).
install_json_server() {
  local dir="${SWITCHBOARD_JSON_SERVER_DIR:-$(cd "$(dirname "$0")/.." && pwd)/build/json-server}"
  if [ -f "$dir/node_modules/json-server/lib/cli/bin.js" ] || ! command -v npm >/dev/null 2>&1; then
    return 0
  fi
  mkdir -p "$dir"
  npm install --prefix "$dir" --no-audit --no-fund --loglevel=error json-server@0.17.4 \
    || echo "warning: npm could not install json-server; tst_jsonserver will try again" >&2
}

missing=()
for pkg in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done

# npm: Debian's package, unless a nodejs that brings its own is installed.
if ! command -v npm >/dev/null 2>&1; then
  missing+=(npm)
fi

if [ ${#missing[@]} -eq 0 ]; then
  install_json_server
  exit 0
fi

echo "Installing missing packages: ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
install_json_server
