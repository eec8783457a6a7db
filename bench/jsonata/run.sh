#!/bin/sh
# usage: bench/jsonata/run.sh PATH/TO/bench_jsonata [RECORDS] [SECONDS]
# Compares bench_jsonata with the reference implementation (npm jsonata) on the same records
# and expressions. Builds nothing; installs npm jsonata into bench/.scratch (git-ignored).
set -eu
BENCH=${1:?usage: run.sh PATH/TO/bench_jsonata [RECORDS] [SECONDS]}
RECORDS=${2:-2000}
SECONDS_PER_EXPR=${3:-2}
# BENCH_CLOCK=cpu (the default) times CPU seconds of each process, so other load on a shared
# machine does not count; BENCH_CLOCK=wall times the wall clock.
BENCH_CLOCK=${BENCH_CLOCK:-cpu}
export BENCH_CLOCK
HERE=$(cd "$(dirname "$0")" && pwd)
SCRATCH="$HERE/../.scratch"
mkdir -p "$SCRATCH"
if [ ! -d "$SCRATCH/node_modules/jsonata" ]; then
  npm install --silent --no-audit --no-fund --prefix "$SCRATCH" jsonata >/dev/null
fi
VERSION=$(node -p "require('$SCRATCH/node_modules/jsonata/package.json').version")
node "$HERE/generate.js" "$RECORDS" > "$SCRATCH/records.json"
# Same answers first: the results on the first 50 records must agree.
BENCH_CHECK=50 node "$HERE/reference.js" "$SCRATCH/node_modules/jsonata" \
  "$SCRATCH/records.json" "$HERE/expressions.json" 0 > "$SCRATCH/reference-check.txt"
BENCH_CHECK=50 "$BENCH" "$SCRATCH/records.json" "$HERE/expressions.json" 0 \
  > "$SCRATCH/native-check.txt"
if ! node "$HERE/compare.js" "$SCRATCH/reference-check.txt" "$SCRATCH/native-check.txt"; then
  echo "results differ from the reference: no timing" >&2
  exit 1
fi
node "$HERE/reference.js" "$SCRATCH/node_modules/jsonata" "$SCRATCH/records.json" \
  "$HERE/expressions.json" "$SECONDS_PER_EXPR" > "$SCRATCH/reference.txt"
"$BENCH" "$SCRATCH/records.json" "$HERE/expressions.json" "$SECONDS_PER_EXPR" \
  > "$SCRATCH/native.txt"
echo "records: $RECORDS quotes, reference: npm jsonata $VERSION (node $(node --version))," \
  "clock: $BENCH_CLOCK, load: $(cut -d' ' -f1-3 /proc/loadavg)"
awk 'NR == FNR { refN[$1] = $2; refT[$1] = $3; next }
     { order[++n] = $1; natN[$1] = $2; natT[$1] = $3 }
     END {
       printf "%-12s %16s %16s %8s\n", "expression", "native eval/s", "reference eval/s", "ratio"
       for (i = 1; i <= n; i++) {
         k = order[i]; a = natN[k] / natT[k]; b = refN[k] / refT[k]
         printf "%-12s %16.0f %16.0f %7.1fx\n", k, a, b, a / b
         sa += natN[k]; ta += natT[k]; sb += refN[k]; tb += refT[k]
       }
       printf "%-12s %16.0f %16.0f %7.1fx\n", "total", sa / ta, sb / tb, (sa / ta) / (sb / tb)
       for (i = 1; i <= n; i++) {
         k = order[i]; r = (natN[k] / natT[k]) / (refN[k] / refT[k])
         lg += log(r); if (i == 1 || r < lo) { lo = r; lowest = k }
       }
       printf "%-12s %42.1fx\n", "geomean", exp(lg / n)
       printf "%-12s %42.1fx (%s)\n", "lowest", lo, lowest
     }' "$SCRATCH/reference.txt" "$SCRATCH/native.txt"
