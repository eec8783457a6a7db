#!/bin/sh
# usage: bench/runtime/run.sh [BUILD_DIR=build] [N=300]
# Durable throughput of the runtime (workflow instances per second, journal on): simulate on
# the example, and serve over loopback HTTP through a sandbox process; then Node-RED (npm
# node-red, installed into bench/.scratch/) running the equivalent pipeline flow against the
# same sandbox, and the ratio. Builds switchboard-run; registers nothing in CTest.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
BUILD=${1:-$ROOT/build}
N=${2:-300}
PHASES=${PHASES:-12345}   # e.g. PHASES=45 runs only the pipeline and Node-RED
SCRATCH="$ROOT/bench/.scratch/runtime"
NODE_RED="$ROOT/bench/.scratch/node-red"
mkdir -p "$SCRATCH"
cmake --build "$BUILD" --target switchboard-run -j2 >/dev/null
RUN="$BUILD/runtime/cli/switchboard-run"
EXAMPLE="$ROOT/templates/quote-to-cash/quote-to-cash.switchboard"
DURABLE="$ROOT/tests/e2e/data/durable/durable.switchboard"
export SWITCHBOARD_ADMIN_TOKEN=bench-token
export Q2C_WEBHOOK_SECRET=bench-webhook-secret # the example's closed-won webhook is signed

PIDS=""
cleanup() { for p in $PIDS; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT INT TERM

# start NAME PATTERN CMD...: runs CMD in the background until its output shows PATTERN;
# sets PID and URL (the first http:// address it printed).
start() {
  name=$1; pattern=$2; shift 2
  "$@" > "$SCRATCH/$name.out" 2> "$SCRATCH/$name.err" &
  PID=$!
  PIDS="$PIDS $PID"
  i=0
  until grep -q "$pattern" "$SCRATCH/$name.out" "$SCRATCH/$name.err" 2>/dev/null; do
    i=$((i + 1))
    if [ $i -gt 600 ] || ! kill -0 "$PID" 2>/dev/null; then
      echo "$name did not start:" >&2; cat "$SCRATCH/$name.err" >&2; exit 1
    fi
    sleep 0.1
  done
  URL=$(grep -ho 'http://[^ ]*' "$SCRATCH/$name.out" | head -1)
}
stop() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }
rate() { node -p "($1 / $2).toFixed(1)"; }      # instances seconds -> per second
field() { node -p "require('$1').$2"; }         # JSON report field
want() { case "$PHASES" in *"$1"*) return 0 ;; esac; return 1; }
OURS=""

echo "machine: $(nproc) cores ($(uname -m)), load average $(cut -d' ' -f1-3 /proc/loadavg)"

# 1. simulate on the example: 320 opportunities, in-process sandbox, journal on.
if want 1; then
"$RUN" simulate "$EXAMPLE" --approve-all --report "$SCRATCH/sim-example.json" 2>/dev/null \
  >/dev/null || true
printf "%-58s %8s instances/s (%s instances)\n" "simulate, example (in-process sandbox)" \
  "$(node -p "require('$SCRATCH/sim-example.json').throughputPerSecond.toFixed(1)")" \
  "$(field "$SCRATCH/sim-example.json" instances)"
fi

# 2. simulate N closed-won opportunities: every step runs (the wait times out virtually).
node "$HERE/driver.js" variants "$ROOT/templates/quote-to-cash/data/crm-opportunities.jsonl" \
  "$N" > "$SCRATCH/closed-won.jsonl"
if want 2; then
"$RUN" simulate "$EXAMPLE" --dataset "$SCRATCH/closed-won.jsonl" --approve-all \
  --report "$SCRATCH/sim-won.json" 2>/dev/null >/dev/null || true
printf "%-58s %8s instances/s (%s instances)\n" "simulate, closed-won only (in-process sandbox)" \
  "$(node -p "require('$SCRATCH/sim-won.json').throughputPerSecond.toFixed(1)")" \
  "$(field "$SCRATCH/sim-won.json" instances)"
fi

# 3. Quote-to-Cash over loopback HTTP: sandbox process, serve with --sandbox-url; the driver
#    plays billing (invoices) and the deal desk (approvals).
if want 3; then
"$RUN" export "$EXAMPLE" -o "$SCRATCH/q2c.json" >/dev/null
start sandbox-q2c "http://" "$RUN" sandbox "$EXAMPLE" --listen 127.0.0.1:0
SB=$URL; SB_PID=$PID
rm -f "$SCRATCH"/q2c.db*
start serve-q2c "http://" "$RUN" serve "$SCRATCH/q2c.json" --db "$SCRATCH/q2c.db" --init \
  --listen 127.0.0.1:0 --sandbox-url "$SB"
SV=$URL; SV_PID=$PID
set -- $(node "$HERE/driver.js" q2c "$SB" "$SV" "$SWITCHBOARD_ADMIN_TOKEN" \
  "$SCRATCH/closed-won.jsonl")
printf "%-58s %8s instances/s (%s instances, %s s)\n" \
  "serve over HTTP, Quote-to-Cash (13 steps, wait, approvals)" "$(rate "$2" "$4")" "$2" "$4"
stop "$SV_PID"; stop "$SB_PID"
fi

# 4. The 3-write pipeline over loopback HTTP (the flow Node-RED runs below): the journal on
#    disk (an fsync per commit, as in production), then on tmpfs to show what the fsyncs cost.
pipeline_serve() { # DB LABEL -> sets RATE
  "$RUN" export "$DURABLE" -o "$SCRATCH/pipeline.json" >/dev/null
  start sandbox-pipe "http://" "$RUN" sandbox "$DURABLE" --listen 127.0.0.1:0
  SB=$URL; SB_PID=$PID
  rm -f "$1" "$1-wal" "$1-shm"
  start serve-pipe "http://" "$RUN" serve "$SCRATCH/pipeline.json" --db "$1" --init \
    --listen 127.0.0.1:0 --sandbox-url "$SB"
  SV=$URL; SV_PID=$PID
  set -- "$@" $(node "$HERE/driver.js" pipeline "$SB" "$SV/hooks/pipeline" "$N")
  RATE=$(rate "$4" "$6")
  printf "%-58s %8s instances/s (%s instances, %s s)\n" "$2" "$RATE" "$4" "$6"
  stop "$SV_PID"; stop "$SB_PID"
  rm -f "$1" "$1-wal" "$1-shm"
}
if want 4; then
  pipeline_serve "$SCRATCH/pipeline.db" "serve over HTTP, 3-write pipeline (journal on disk)"
  OURS=$RATE
  if [ -d /dev/shm ]; then
    pipeline_serve "/dev/shm/sb-bench-$$.db" "serve over HTTP, 3-write pipeline (journal on tmpfs)"
    OURS_TMPFS=$RATE
  fi
fi
want 5 || exit 0

# 5. Node-RED on the same pipeline against a fresh sandbox.
if [ ! -x "$NODE_RED/node_modules/.bin/node-red" ]; then
  mkdir -p "$NODE_RED"
  if ! npm install --silent --no-audit --no-fund --prefix "$NODE_RED" node-red >/dev/null \
       2>&1; then
    echo "Node-RED: npm install failed; no ratio"
    exit 0
  fi
fi
VERSION=$(node -p "require('$NODE_RED/node_modules/node-red/package.json').version")
start sandbox-nr "http://" "$RUN" sandbox "$DURABLE" --listen 127.0.0.1:0
SB=$URL; SB_PID=$PID
USERDIR="$SCRATCH/node-red-user"
rm -rf "$USERDIR"; mkdir -p "$USERDIR"
node "$HERE/node-red-flow.js" "$SB" > "$USERDIR/flows.json"
PORT=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{
  console.log(s.address().port); s.close();})")
cat > "$USERDIR/settings.js" <<EOF
module.exports = { uiHost: '127.0.0.1', uiPort: $PORT, flowFile: 'flows.json',
  credentialSecret: false, httpAdminRoot: false, logging: { console: { level: 'info' } } };
EOF
start node-red "Started flows" \
  "$NODE_RED/node_modules/.bin/node-red" --userDir "$USERDIR" --settings "$USERDIR/settings.js"
NR_PID=$PID
set -- $(node "$HERE/driver.js" pipeline "$SB" "http://127.0.0.1:$PORT/hooks/pipeline" "$N")
THEIRS=$(rate "$2" "$4")
printf "%-58s %8s instances/s (%s instances, %s s)\n" \
  "Node-RED $VERSION, same pipeline (no journal)" "$THEIRS" "$2" "$4"
if [ -n "$OURS" ]; then
  printf "%-58s %8sx\n" "ratio serve / Node-RED, journal on disk" \
    "$(node -p "($OURS / $THEIRS).toFixed(2)")"
fi
if [ -n "${OURS_TMPFS:-}" ]; then
  printf "%-58s %8sx\n" "ratio serve / Node-RED, journal on tmpfs" \
    "$(node -p "($OURS_TMPFS / $THEIRS).toFixed(2)")"
fi
stop "$NR_PID"; stop "$SB_PID"
