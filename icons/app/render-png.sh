#!/usr/bin/env bash
# Renders icons/app/switchboard.svg to the PNG sizes the hicolor theme wants
# (icons/app/png/NxN/switchboard.png). Run after editing the SVG and commit the result;
# the build installs the committed PNGs, so it needs no SVG renderer.
# Needs rsvg-convert (Debian package librsvg2-bin).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
for size in 16 22 24 32 48 64 128 256 512; do
  mkdir -p "$here/png/${size}x${size}"
  rsvg-convert --width "$size" --height "$size" --keep-aspect-ratio \
    --output "$here/png/${size}x${size}/switchboard.png" "$here/switchboard.svg"
done
echo "rendered $(ls "$here"/png | wc -l) sizes into $here/png"
