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
PHASES=${PHASES:-1234567} # e.g. PHASES=67: the instant-target and intake phases only
# Webhooks the driver keeps in flight: each waits for its group commit, so a few would make
# the driver the bottleneck. The same for serve and Node-RED.
CONCURRENCY=${CONCURRENCY:-32}
SCRATCH="$ROOT/bench/.scratch/runtime"
NODE_RED="$ROOT/bench/.scratch/node-red"
mkdir -p "$SCRATCH"
# SB_RUN=/path/to/switchboard-run: time that binary instead (e.g. a copy of an older build,
# for before/after figures side by side); BUILD is then not built.
if [ -n "${SB_RUN:-}" ]; then
  RUN=$SB_RUN
else
  cmake --build "$BUILD" --target switchboard-run -j2 >/dev/null
  RUN="$BUILD/runtime/cli/switchboard-run"
fi
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
  # Emptied here, not by the background job's redirection, which may come after the first
  # look: the previous run's "listening on" would be taken for this one's.
  : > "$SCRATCH/$name.out"; : > "$SCRATCH/$name.err"
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
start serve-q2c "listening on http://" "$RUN" serve "$SCRATCH/q2c.json" \
  --db "$SCRATCH/q2c.db" --init \
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
  start serve-pipe "listening on http://" "$RUN" serve "$SCRATCH/pipeline.json" --db "$1" --init \
    --listen 127.0.0.1:0 --sandbox-url "$SB"
  SV=$URL; SV_PID=$PID
  set -- "$@" $(node "$HERE/driver.js" pipeline "$SB" "$SV/hooks/pipeline" "$N" \
    "$CONCURRENCY")
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

# Node-RED (npm node-red, installed into bench/.scratch) running the same pipeline flow
# against TARGET; sets THEIRS (instances/s) and prints the line.
node_red() { # TARGET LABEL DRIVER-MODE
  THEIRS=""
  if [ ! -x "$NODE_RED/node_modules/.bin/node-red" ]; then
    mkdir -p "$NODE_RED"
    if ! npm install --silent --no-audit --no-fund --prefix "$NODE_RED" node-red >/dev/null \
         2>&1; then
      echo "Node-RED: npm install failed; no ratio"
      return 0
    fi
  fi
  VERSION=$(node -p "require('$NODE_RED/node_modules/node-red/package.json').version")
  USERDIR="$SCRATCH/node-red-user"
  rm -rf "$USERDIR"; mkdir -p "$USERDIR"
  node "$HERE/node-red-flow.js" "$1" > "$USERDIR/flows.json"
  PORT=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{
    console.log(s.address().port); s.close();})")
  printf '%s\n' "module.exports = { uiHost: '127.0.0.1', uiPort: $PORT," \
    "  flowFile: 'flows.json', credentialSecret: false, httpAdminRoot: false," \
    "  logging: { console: { level: 'info' } } };" > "$USERDIR/settings.js"
  start node-red "Started flows" \
    "$NODE_RED/node_modules/.bin/node-red" --userDir "$USERDIR" --settings "$USERDIR/settings.js"
  NR_PID=$PID
  set -- "$@" $(node "$HERE/driver.js" "$3" "$1" "http://127.0.0.1:$PORT/hooks/pipeline" "$N" \
    "$CONCURRENCY")
  THEIRS=$(rate "$5" "$7")
  printf "%-58s %8s instances/s (%s instances, %s s)\n" "Node-RED $VERSION, $2" "$THEIRS" \
    "$5" "$7"
  stop "$NR_PID"
}
ratio() { # LABEL OURS THEIRS
  if [ -n "$2" ] && [ -n "$3" ]; then
    printf "%-58s %8sx\n" "$1" "$(node -p "($2 / $3).toFixed(2)")"
  fi
}

# 5. Node-RED on the same pipeline against a fresh sandbox.
if want 5; then
  start sandbox-nr "http://" "$RUN" sandbox "$DURABLE" --listen 127.0.0.1:0
  SB=$URL; SB_PID=$PID
  node_red "$SB" "same pipeline, sandbox (no journal)" pipeline
  stop "$SB_PID"
  ratio "ratio serve / Node-RED, sandbox, journal on disk" "$OURS" "$THEIRS"
  ratio "ratio serve / Node-RED, sandbox, journal on tmpfs" "${OURS_TMPFS:-}" "$THEIRS"
fi

# 6. The same pipeline against instant.js, a target that answers at once: the runner's own
#    cost, its webhook-to-completion latency and the fsyncs it makes per instance.
instant_serve() { # DB LABEL [WRAPPER...] -> sets RATE
  db=$1; label=$2; shift 2
  "$RUN" export "$DURABLE" -o "$SCRATCH/pipeline.json" >/dev/null
  rm -f "$db" "$db-wal" "$db-shm"
  start serve-instant "listening on http://" "$@" "$RUN" serve "$SCRATCH/pipeline.json" \
    --db "$db" --init \
    --listen 127.0.0.1:0 --sandbox-url "$TG"
  SV=$URL; SV_PID=$PID
  set -- $(node "$HERE/driver.js" instant "$TG" "$SV/hooks/pipeline" "$N" "$CONCURRENCY")
  RATE=$(rate "$2" "$4")
  set -- $(node "$HERE/driver.js" latency "$SV" "$SWITCHBOARD_ADMIN_TOKEN")
  printf "%-58s %8s instances/s (p50 %s ms, p99 %s ms)\n" "$label" "$RATE" "$4" "$6"
  # Under a wrapper (strace) the PID is the wrapper's: a signal to it would detach the
  # tracer and leave serve running; stop serve itself, then the wrapper ends with it.
  CHILD=$(pgrep -P "$SV_PID" | head -1 || true)
  if [ -n "$CHILD" ]; then stop "$CHILD"; fi
  stop "$SV_PID"
  rm -f "$db" "$db-wal" "$db-shm"
}
if want 6; then
  start instant "http://" node "$HERE/instant.js"
  TG=$URL; TG_PID=$PID
  if command -v wrk >/dev/null; then
    TARGET_RATE=$(wrk -t2 -c16 -d3s "$TG/erp/Customer" | awk '/Requests\/sec/ { print $2 }')
    printf "%-58s %8s requests/s\n" "instant target alone (wrk GET, 16 connections)" \
      "$TARGET_RATE"
  fi
  instant_serve "$SCRATCH/instant.db" "serve, pipeline, instant target (journal on disk)"
  OURS_I=$RATE
  if [ -d /dev/shm ]; then
    instant_serve "/dev/shm/sb-bench-i-$$.db" \
      "serve, pipeline, instant target (journal on tmpfs)"
  fi
  if command -v strace >/dev/null; then
    # fsync and fdatasync calls of the whole serve process over N instances; strace stops
    # only on those two calls, so the run is barely slowed.
    instant_serve "$SCRATCH/instant-fsync.db" "serve, pipeline, instant target (strace)" \
      strace -f --seccomp-bpf -qq -c -e trace=fsync,fdatasync -o "$SCRATCH/fsync.txt"
    sleep 0.5
    SYNCS=$(awk '$NF == "fsync" || $NF == "fdatasync" { n += $4 } END { print n + 0 }' \
      "$SCRATCH/fsync.txt")
    printf "%-58s %8s per instance (%s in all)\n" "fsyncs, serve, pipeline" \
      "$(node -p "($SYNCS / $N).toFixed(2)")" "$SYNCS"
  fi
  stop "$TG_PID"
  # A fresh target for Node-RED, as each runner above had.
  start instant-nr "http://" node "$HERE/instant.js"
  TG=$URL; TG_PID=$PID
  node_red "$TG" "same pipeline, instant target" instant
  ratio "ratio serve / Node-RED, instant target, journal on disk" "$OURS_I" "$THEIRS"
  stop "$TG_PID"
fi

# 7. Webhook intake alone: wrk posts distinct accounts for 5 s (16 connections); 202s/s.
if want 7 && command -v wrk >/dev/null; then
  start instant7 "http://" node "$HERE/instant.js"
  TG=$URL; TG_PID=$PID
  rm -f "$SCRATCH"/intake.db*
  "$RUN" export "$DURABLE" -o "$SCRATCH/pipeline.json" >/dev/null
  start serve-intake "listening on http://" "$RUN" serve "$SCRATCH/pipeline.json" \
    --db "$SCRATCH/intake.db" --init --listen 127.0.0.1:0 --sandbox-url "$TG"
  SV=$URL; SV_PID=$PID
  INTAKE=$(wrk -t2 -c16 -d5s -s "$HERE/post.lua" "$SV/hooks/pipeline" 2>"$SCRATCH/wrk.err" \
    | awk '/Requests\/sec/ { print $2 }')
  printf "%-58s %8s accepted/s\n" "webhook intake alone (wrk POST, journal on disk)" "$INTAKE"
  if [ -s "$SCRATCH/wrk.err" ]; then sort "$SCRATCH/wrk.err" | uniq -c | head -3; fi
  stop "$SV_PID"; stop "$TG_PID"
  rm -f "$SCRATCH"/intake.db*
fi
