#!/usr/bin/env bash
# Runs deploy/Caddyfile in front of two instances of the compiled API on this machine, without
# Docker: the upstreams api-1:3001 and api-2:3001 are rewritten to two local ports. Checks that
#   - requests are spread over both instances,
#   - an X-Forwarded-For sent by a client is not believed (the API, with TRUST_PROXY=true as in
#     docker-compose.yml, sees the address Caddy saw),
#   - a Server-Sent Events stream's first bytes come through while the stream is still open.
# Needs caddy on PATH, `npm run build` done, and DATABASE_URL (a PostgreSQL database it may migrate).
#
#   npm run build && DATABASE_URL=postgres://postgres@127.0.0.1:5432/test bash deploy/check-proxy.sh
set -euo pipefail
cd "$(dirname "$0")/.."

: "${DATABASE_URL:?set DATABASE_URL}"
command -v caddy >/dev/null || { echo "caddy is not on PATH (apt install caddy)"; exit 1; }
[[ -f dist/src/api.js ]] || { echo "no dist/src/api.js: run npm run build first"; exit 1; }

work="$(mktemp -d)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
fail() {
  echo "proxy check failed: $*"
  tail -n 5 "$work"/*.log || true
  exit 1
}

secrets=(JWT_SECRET="$(openssl rand -hex 32)" JWT_REFRESH_SECRET="$(openssl rand -hex 32)" ENCRYPTION_KEY="$(openssl rand -hex 32)")
ports=()
for n in 1 2; do
  port="$(free_port)"
  ports+=("$port")
  env "${secrets[@]}" NODE_ENV=production EMULATORS=off TRUST_PROXY=true HOST=127.0.0.1 PORT="$port" DATA_DIR="$work" \
    LOG_LEVEL=info DATABASE_URL="$DATABASE_URL" node dist/src/api.js >"$work/api-$n.log" 2>&1 &
  pids+=($!)
done

proxy_port="$(free_port)"
sed -e "s/api-1:3001/127.0.0.1:${ports[0]}/" -e "s/api-2:3001/127.0.0.1:${ports[1]}/" deploy/Caddyfile >"$work/Caddyfile"
SITE_ADDRESS=":$proxy_port" XDG_DATA_HOME="$work" XDG_CONFIG_HOME="$work" \
  caddy run --adapter caddyfile --config "$work/Caddyfile" >"$work/caddy.log" 2>&1 &
pids+=($!)
proxy="http://127.0.0.1:$proxy_port"

# Both instances up and seen healthy by Caddy's active check (every 5 s).
for _ in $(seq 1 60); do
  up=0
  for port in "${ports[@]}"; do curl -fs "http://127.0.0.1:$port/v1/health/ready" >/dev/null && up=$((up + 1)); done
  ((up == 2)) && curl -fs "$proxy/v1/health/live" >/dev/null && break
  sleep 0.5
done
((up == 2)) || fail "the two instances did not start"
sleep 6

# 1. Spread: 20 requests through the proxy, each instance answers some (round robin).
for i in $(seq 1 20); do curl -fs -o /dev/null -H "x-request-id: proxy-check-$i" "$proxy/v1/health/live" || fail "request $i failed"; done
counts=()
for n in 1 2; do counts+=("$(grep '"requestId":"proxy-check-' "$work/api-$n.log" | grep -c '"msg":"request completed"' || true)"); done
echo "requests per instance: ${counts[0]} and ${counts[1]} (of 20)"
((counts[0] > 0 && counts[1] > 0)) || fail "one instance got no request"

# 2. A forged X-Forwarded-For: the API logs the address Caddy saw (127.0.0.1), not the forged one.
curl -fs -o /dev/null -H 'x-forwarded-for: 203.0.113.77' -H 'x-request-id: proxy-check-xff' "$proxy/v1/health/live"
grep -h '"requestId":"proxy-check-xff"' "$work"/api-*.log | grep -q '"remoteAddress":"127.0.0.1"' || fail "the API did not see the proxy's client address"
if grep -h '"requestId":"proxy-check-xff"' "$work"/api-*.log | grep -q '203.0.113.77'; then fail "the forged X-Forwarded-For reached the API as the client address"; fi
echo "X-Forwarded-For: the forged 203.0.113.77 was replaced by the address Caddy saw (127.0.0.1)"

# 3. Server-Sent Events: the stream's first event (its retry line) arrives while the stream is open.
token="$(curl -fs "$proxy/v1/auth/register" -H 'content-type: application/json' \
  -d "{\"email\":\"proxy-check-$RANDOM$RANDOM@example.com\",\"password\":\"a long passphrase\",\"name\":\"Proxy check\"}" |
  node -e 'let s="";process.stdin.on("data",(d)=>(s+=d)).on("end",()=>console.log(JSON.parse(s).token))')"
[[ -n "$token" && "$token" != undefined ]] || fail "could not register a user"
# The stream stays open: curl is stopped after 3 s. Buffering would deliver nothing in that time.
first="$(timeout 3 curl -sN -H "authorization: Bearer $token" -H 'accept: text/event-stream' "$proxy/v1/events" | head -c 64 || true)"
[[ "$first" == *"retry:"* ]] || fail "no Server-Sent Events bytes within 3 s through the proxy (got: ${first:-nothing})"
echo "Server-Sent Events: first bytes through the proxy while the stream was open: $(printf '%s' "$first" | head -n 1)"
echo "proxy check passed"
