#!/usr/bin/env bash
# Shared by scripts/cluster/*.sh (sourced, not run): paths, the docker client, small helpers.
# shellcheck disable=SC2034 # the variables are for the scripts that source this file

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# .cache is a symlink to ~/.cache/lateral (per machine, see .ci/run); create it like .ci/run does.
if [ ! -e "$ROOT/.cache" ]; then
  mkdir -p "${LATERAL_CACHE_DIR:-$HOME/.cache/lateral}"
  ln -s "${LATERAL_CACHE_DIR:-$HOME/.cache/lateral}" "$ROOT/.cache"
fi
CACHE="$ROOT/.cache"

# Debian's docker.io client: the `docker` first on PATH may be another client without BuildKit.
DOCKER=/usr/bin/docker
export DOCKER_BUILDKIT=1
export DOCKER_HOST="${DOCKER_HOST:-unix:///var/run/docker.sock}"

log() { echo "== $*" >&2; }
die() {
  echo "${0##*/}: $*" >&2
  exit 1
}
now() { date +%s; }

# go_install_cached <binary> <package@version> <ldflags> <version argument>: `go install` of a Go
# command into <binary> (its folder is the cache for that version), once per machine: skipped when
# the binary answers `<binary> <version argument>`. nice 19, static (no cgo), a lock against a
# parallel run, the build's time logged.
go_install_cached() {
  local bin="$1" package="$2" ldflags="$3" version_arg="$4" dir start name
  dir=$(dirname "$bin")
  name="$(basename "$bin") ${package##*@}"
  if [ -x "$bin" ] && "$bin" "$version_arg" >/dev/null 2>&1; then
    log "$name cached"
    return 0
  fi
  command -v go >/dev/null || die "'go' is not installed; cannot build $package"
  mkdir -p "$dir"
  exec 9>"$dir/.lock"
  flock 9
  start=$(now)
  log "building $package (a few CPU-minutes; nice 19)"
  (cd "$dir" && nice -n 19 env GOBIN="$dir/bin.tmp" CGO_ENABLED=0 GOFLAGS=-buildvcs=false go install \
    -trimpath -ldflags "-s -w $ldflags" "$package") >&2
  # The one command built, whatever go named it (a module's /vN suffix is not its name).
  mv "$dir"/bin.tmp/* "$bin"
  rm -rf "$dir/bin.tmp"
  log "$name built in $(($(now) - start)) s"
}

# apt_ensure "<command> <package>"...: installs the Debian packages whose command is missing.
apt_ensure() {
  local need=() pair cmd pkg
  for pair in "$@"; do
    read -r cmd pkg <<<"$pair"
    if [[ "$cmd" == /* ]]; then [ -e "$cmd" ] || need+=("$pkg"); else command -v "$cmd" >/dev/null 2>&1 || need+=("$pkg"); fi
  done
  [ "${#need[@]}" -eq 0 ] && return 0
  log "installing Debian packages: ${need[*]}"
  local sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >&2
}

# A live process: exists and is not a zombie. Components are started with setsid and their
# starter exits, so an exited one may stay unreaped (kill -0 still succeeds on a zombie).
alive() { [ -r "/proc/$1/stat" ] && [ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" != Z ]; }

docker_answers() { "$DOCKER" version >/dev/null 2>&1; }
image_exists() { "$DOCKER" image inspect "$1" >/dev/null 2>&1; }

# The base image deploy/Dockerfile builds FROM (its `ARG NODE_IMAGE=` default).
dockerfile_node_image() { sed -n 's/^ARG NODE_IMAGE=//p' "$ROOT/deploy/Dockerfile" | head -n1; }

git_sha() { git -C "$ROOT" rev-parse HEAD; }
