#!/usr/bin/env bash
# Builds model, runtime and the non-GUI tests with AddressSanitizer (LeakSanitizer included)
# and UndefinedBehaviorSanitizer in build-asan, then runs CTest there. Any sanitizer report
# aborts the process it happens in, so the test that reached it fails and shows the stack.
# Leaks inside Qt or system libraries are suppressed in tests/fuzz/lsan.supp; project code
# never is.
#
# usage: scripts/sanitize.sh [extra ctest arguments, e.g. -R tst_jsonata]
# environment: JOBS=2 (build parallelism), CC/CXX (default: the system compiler),
#              SANITIZE_TARGETS="tst_jsonata ..." (build only these; default: everything)
set -uo pipefail
jobs=${JOBS:-2}
cd "$(dirname "$0")/.."
root=$PWD
build=$root/build-asan

launcher=()
if command -v ccache >/dev/null; then
  launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$(dirname "$root")} CCACHE_NOHASHDIR=1
fi
mkdir -p "$build"
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "${launcher[@]}" \
  -DSWITCHBOARD_SANITIZE=ON -DSWITCHBOARD_BUILD_STUDIO=OFF -DSWITCHBOARD_BUILD_BENCH=OFF \
  >"$build/configure.log" 2>&1 || { cat "$build/configure.log"; exit 2; }
targets=()
for t in ${SANITIZE_TARGETS:-}; do targets+=(--target "$t"); done
cmake --build "$build" -j"$jobs" "${targets[@]}" || exit 2

# Inherited by every test and by the switchboard-run processes the end-to-end tests start.
asan=halt_on_error=1:abort_on_error=1:detect_leaks=1:symbolize=1:print_summary=1
export ASAN_OPTIONS=${ASAN_OPTIONS:-$asan}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1:print_summary=1}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$root/tests/fuzz/lsan.supp:print_suppressions=0}
export QT_QPA_PLATFORM=offscreen
cd "$build" || exit 2
# Sanitized code runs a few times slower: give every test more room than usual.
ctest -LE packaging --output-on-failure --timeout 1200 "$@"
