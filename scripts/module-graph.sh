#!/usr/bin/env bash
# Draws docs/modules.svg, the project's libraries and executables with the links CMake knows
# (cmake --graphviz, options in cmake/CMakeGraphVizOptions.cmake), so the picture in the
# README is the build's own dependency graph. Needs graphviz (dot).
# usage: scripts/module-graph.sh [BUILD_DIR=build]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
mkdir -p "$build"
cp cmake/CMakeGraphVizOptions.cmake "$build/"
cmake -S . -B "$build" --graphviz="$out/modules.dot" >/dev/null
# Left to right reads like the layering: executables on the left, model on the right.
sed -i 's/^digraph "\(.*\)" {/digraph "\1" {\n  rankdir = "LR";/' "$out/modules.dot"
dot -Tsvg "$out/modules.dot" -o docs/modules.svg
echo "docs/modules.svg: $(grep -c '<g id="node' docs/modules.svg) modules"
