#!/usr/bin/env bash
# `npm start` with no DATABASE_URL boots its own PostgreSQL, answers /v1/health with the
# database ok, and on SIGTERM stops within 10 s leaving no process behind.
set -euo pipefail

data_dir="$(mktemp -d)"
chmod 755 "$data_dir" # the embedded PostgreSQL runs as the postgres user when CI runs as root
port="$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
log="$data_dir/atas.log"

# In its own process group, as a terminal or a service manager starts it: SIGTERM goes to the
# group (npm itself does not pass signals on to the app).
setsid env -u DATABASE_URL -u REDIS_URL DATA_DIR="$data_dir" PORT="$port" HOST=127.0.0.1 npm start >"$log" 2>&1 &
pid=$!

fail() {
  echo "smoke test failed: $*"
  tail -n 40 "$log" || true
  kill -KILL -- "-$pid" 2>/dev/null || true
  pkill -KILL -f "$data_dir" 2>/dev/null || true
  exit 1
}

health=""
for _ in $(seq 1 120); do
  health="$(curl -s "http://127.0.0.1:${port}/v1/health" || true)"
  [[ "$health" == *'"database":"ok"'* ]] && break
  kill -0 "$pid" 2>/dev/null || fail "npm start exited"
  sleep 0.5
done
[[ "$health" == *'"database":"ok"'* ]] || fail "no healthy answer within 60 s (last: ${health:-none})"
echo "health: $health"
grep -o '"startupMs":[0-9]*' "$log" | head -1 || true

kill -TERM -- "-$pid"
stopped=""
for _ in $(seq 1 100); do
  if ! pgrep -g "$pid" >/dev/null && ! pgrep -f "$data_dir" >/dev/null; then stopped=yes; break; fi
  sleep 0.1
done
[[ -n "$stopped" ]] || fail "still running 10 s after SIGTERM: $(pgrep -ag "$pid"; pgrep -af "$data_dir")"
grep -q '"msg":"embedded PostgreSQL stopped"' "$log" || fail "the log shows no graceful stop"
echo "stopped cleanly after SIGTERM; no process left"
rm -rf "$data_dir"
