#!/usr/bin/env bash
# Builds the libFuzzer harnesses (clang, ASan + UBSan) in build-fuzz and fuzzes each target
# for MINUTES (default 10). Seeds come from tests/fuzz/corpus/<target>/ and
# tests/fuzz/regressions/<target>/; what the fuzzer learns goes to build-fuzz/corpus-work/,
# outside the repository. Every crash, timeout or out-of-memory input is copied to
# tests/fuzz/regressions/<target>/ with a .txt note (the sanitizer's report), so the
# fuzz_replay_<target> CTest case replays it from then on: commit it with the fix.
#
# usage: scripts/fuzz.sh [MINUTES]
# environment: FUZZ_TARGETS="jsonata project bundle mapping" (default: all four),
#              JOBS=2 (build parallelism), FUZZ_FORK=1 (0: stop each target at its first
#              crash instead of recording it and carrying on), FUZZ_DETECT_LEAKS=1 (0: do
#              not stop at leaks, e.g. while a known leak is being fixed elsewhere)
set -uo pipefail
minutes=${1:-10}
targets=${FUZZ_TARGETS:-jsonata project bundle mapping}
jobs=${JOBS:-2}
fork=${FUZZ_FORK:-1}
detect_leaks=${FUZZ_DETECT_LEAKS:-1}
cd "$(dirname "$0")/.."
root=$PWD
build=$root/build-fuzz

for tool in clang++-14 cmake ninja; do
  command -v "$tool" >/dev/null || { echo "fuzz.sh: $tool is missing" >&2; exit 2; }
done
launcher=()
if command -v ccache >/dev/null; then
  launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$(dirname "$root")} CCACHE_NOHASHDIR=1
fi
mkdir -p "$build"
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14 "${launcher[@]}" \
  -DSWITCHBOARD_FUZZ=ON -DSWITCHBOARD_BUILD_STUDIO=OFF -DSWITCHBOARD_BUILD_BENCH=OFF \
  >"$build/configure.log" 2>&1 || { cat "$build/configure.log"; exit 2; }
build_targets=()
for t in $targets; do build_targets+=("fuzz_$t"); done
cmake --build "$build" -j"$jobs" --target "${build_targets[@]}" || exit 2

# Leaks are reported by libFuzzer itself (-detect_leaks); sanitizers stop at the first error.
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:symbolize=1:detect_leaks=$detect_leaks}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$root/tests/fuzz/lsan.supp:print_suppressions=0}

summary=()
found=0
for t in $targets; do
  work=$build/corpus-work/$t
  artifacts=$build/artifacts/$t
  regressions=$root/tests/fuzz/regressions/$t
  log=$build/fuzz-$t.log
  mkdir -p "$work" "$artifacts" "$regressions"
  mode=()
  if [ "$fork" = 1 ]; then
    mode=(-fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1)
  fi
  echo "== fuzz_$t for $minutes min (log: $log)"
  # Not the regression folder as seeds: an input still open there would stop the run.
  "$build/tests/fuzz/fuzz_$t" "$work" "$root/tests/fuzz/corpus/$t" \
    -dict="$root/tests/fuzz/$t.dict" -max_total_time=$((minutes * 60)) -timeout=10 \
    -rss_limit_mb=2048 -max_len=16384 -artifact_prefix="$artifacts/" -print_final_stats=1 \
    -detect_leaks="$detect_leaks" \
    "${mode[@]}" >"$log" 2>&1
  status=$?
  # Fork mode prints "#N: cov: ..." per job; the plain mode prints final stats.
  execs=$(grep -o 'stat::number_of_executed_units: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*$')
  [ -n "$execs" ] || execs=$(grep -o '^#[0-9]*' "$log" | tail -1 | tr -d '#')
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1)
  new=0
  known=$(for r in "$regressions"/*; do [ -f "$r" ] && sha1sum <"$r" | cut -c1-40; done)
  for f in "$artifacts"/crash-* "$artifacts"/timeout-* "$artifacts"/oom-* "$artifacts"/leak-*; do
    [ -e "$f" ] || continue
    name=$(basename "$f")
    sum=$(sha1sum <"$f" | cut -c1-40)
    grep -q "$sum" <<<"$known" && continue
    # Fork mode can blame an input for what a whole job did (a leak seen at its exit):
    # keep only what reproduces on its own.
    report=$("$build/tests/fuzz/fuzz_$t" -timeout=10 -rss_limit_mb=2048 "$f" 2>&1)
    if [ $? -eq 0 ]; then
      echo "   not reproducible on its own, left in build-fuzz/artifacts/$t/: $name"
      continue
    fi
    cp "$f" "$regressions/$name"
    known+=$'\n'$sum
    {
      echo "Found by scripts/fuzz.sh (fuzz_$t) on $(date -u +%Y-%m-%dT%H:%MZ)."
      echo "Replay: build-fuzz/tests/fuzz/fuzz_$t -timeout=10 -rss_limit_mb=2048 $name"
      echo
      grep -E 'ERROR|SUMMARY|runtime error|^ *#[0-9]+ |ALARM|out-of-memory' <<<"$report" |
        head -25
    } >"$regressions/$name.txt"
    echo "   new: tests/fuzz/regressions/$t/$name ($(grep -m1 -E 'SUMMARY|ALARM|out-of-m' \
      "$regressions/$name.txt" | cut -c1-120))"
    new=$((new + 1))
  done
  found=$((found + new))
  summary+=("fuzz_$t: ${execs:-?} execs, ${cov:-cov: ?}, exit $status, $new new finding(s)")
done

echo
echo "== summary ($minutes min each)"
printf '%s\n' "${summary[@]}"
if [ "$found" -gt 0 ]; then
  echo "$found new finding(s) in tests/fuzz/regressions/: fuzz_replay_<target> replays them."
  exit 1
fi
