#!/bin/sh
# usage: bench/limits/run.sh [BASE_REV=HEAD~] [SECONDS=10]
# The runner's intake and simulate throughput, current tree beside BASE_REV, in one run.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
BASE_REV=${1:-HEAD~}
SECS=${2:-10}
SCRATCH="$ROOT/bench/.scratch/limits"
mkdir -p "$SCRATCH"
command -v wrk >/dev/null || { echo "wrk is needed (apt-get install wrk)"; exit 2; }

build() { # SRC BUILD_DIR
  cmake -S "$1" -B "$2" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DSWITCHBOARD_BUILD_STUDIO=OFF -DSWITCHBOARD_BUILD_TESTS=OFF \
    -DSWITCHBOARD_BUILD_BENCH=OFF >/dev/null
  cmake --build "$2" --target switchboard-run -j2 >/dev/null
}
if [ ! -d "$SCRATCH/base" ]; then
  git -C "$ROOT" worktree add -q --detach "$SCRATCH/base" "$BASE_REV"
else
  git -C "$SCRATCH/base" checkout -q --detach "$BASE_REV"
fi
build "$ROOT" "$ROOT/build"
build "$SCRATCH/base" "$SCRATCH/base/build"
NEW="$ROOT/build/runtime/cli/switchboard-run"
OLD="$SCRATCH/base/build/runtime/cli/switchboard-run"
echo "base: $(git -C "$SCRATCH/base" log --oneline -1)"
echo "current: $(git -C "$ROOT" log --oneline -1)"

# The fixture: the durable 3-write pipeline with a trigger filter and an explicitly
# unsigned webhook (a base build ignores the setting).
python3 - "$ROOT/tests/e2e/data/durable/durable.switchboard" "$SCRATCH/intake.switchboard" <<'PY'
import json, sys
project = json.load(open(sys.argv[1]))
trigger = project["workflows"][0]["trigger"]
trigger["filter"] = 'stage = "won"'
trigger["auth"] = {"type": "none"}
json.dump(project, open(sys.argv[2], "w"), indent=1)
PY
cat > "$SCRATCH/post.lua" <<'LUA'
counter = 0
stage = os.getenv("STAGE") or "lost"
math.randomseed(os.time())
prefix = tostring(math.random(1, 1000000000))
request = function()
  counter = counter + 1
  local body = string.format('{"id":"w%s-%d","name":"Acme","stage":"%s"}', prefix, counter,
                             stage)
  return wrk.format("POST", "/hooks/pipeline", {["Content-Type"] = "application/json"}, body)
end
LUA

export SWITCHBOARD_ADMIN_TOKEN=bench-token
SV_PID=""
trap '[ -n "$SV_PID" ] && kill $SV_PID 2>/dev/null || true' EXIT INT TERM

serve_rate() { # BINARY STAGE -> prints requests/s
  bin=$1
  "$bin" export "$SCRATCH/intake.switchboard" -o "$SCRATCH/intake.json" >/dev/null 2>&1
  rm -f "$SCRATCH"/intake.db*
  init=""
  "$bin" serve --help 2>&1 | grep -q -- '--init' && init="--init"
  "$bin" serve "$SCRATCH/intake.json" --db "$SCRATCH/intake.db" $init \
    --listen 127.0.0.1:0 > "$SCRATCH/serve.out" 2> "$SCRATCH/serve.err" &
  SV_PID=$!
  i=0
  until grep -q "http://" "$SCRATCH/serve.out" 2>/dev/null; do
    i=$((i + 1)); [ $i -gt 300 ] && { cat "$SCRATCH/serve.err" >&2; exit 1; }; sleep 0.1
  done
  url=$(grep -o 'http://[^ ]*' "$SCRATCH/serve.out" | head -1)
  STAGE=$2 wrk -t2 -c8 -d"${SECS}s" -s "$SCRATCH/post.lua" "$url" 2>/dev/null \
    | awk '/Requests\/sec/ { print $2 }'
  kill "$SV_PID" 2>/dev/null || true; wait "$SV_PID" 2>/dev/null || true; SV_PID=""
}
sim_rate() { # BINARY -> instances/s
  "$1" simulate "$ROOT/templates/quote-to-cash/quote-to-cash.switchboard" --approve-all \
    --report "$SCRATCH/sim.json" >/dev/null 2>&1 || true
  node -p "require('$SCRATCH/sim.json').throughputPerSecond.toFixed(1)"
}
best() { node -p "Math.max(...'$*'.trim().split(/ +/).map(Number)).toFixed(1)"; }

echo "machine: $(nproc) cores ($(uname -m)), load average $(cut -d' ' -f1-3 /proc/loadavg)"
for what in filtered accepted simulate; do
  o=""; n=""
  for round in 1 2; do
    case $what in
      filtered) o="$o $(serve_rate "$OLD" lost)"; n="$n $(serve_rate "$NEW" lost)" ;;
      accepted) o="$o $(serve_rate "$OLD" won)"; n="$n $(serve_rate "$NEW" won)" ;;
      simulate) o="$o $(sim_rate "$OLD")"; n="$n $(sim_rate "$NEW")" ;;
    esac
  done
  o=$(best $o); n=$(best $n)
  case $what in
    filtered) label="serve, filtered webhooks (requests/s)" ;;
    accepted) label="serve, accepted webhooks, journal on disk (requests/s)" ;;
    simulate) label="simulate, Quote-to-Cash example (instances/s)" ;;
  esac
  printf "%-56s base %9s  current %9s  ratio %sx\n" "$label" "$o" "$n" \
    "$(node -p "($n / $o).toFixed(2)")"
done
