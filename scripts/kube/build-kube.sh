#!/usr/bin/env bash
# Builds Kubernetes binaries (kube-apiserver, kubelet, kubectl, ...) from the official
# k8s.io/kubernetes Go module (through the Go module proxy: no other download is reachable on CI)
# and caches them under .cache/kube/<version>/, version-stamped like a release build
# (`<binary> --version` prints `Kubernetes <version>`). Idempotent: a cached, correctly stamped
# binary is reused; only the missing ones are built, in one `go build`.
# Usage: build-kube.sh <cmd>...   e.g. build-kube.sh kubelet kube-proxy
#
# Why not `go install k8s.io/kubernetes/cmd/kubelet@...`: the module's go.mod replaces every
# k8s.io/* staging module with ./staging/src/k8s.io/<name>, and a module zip leaves out nested modules,
# so those directories are missing. Each staging module is published on its own as k8s.io/<name>
# v0.<minor>.<patch> from the same tag; we copy those into staging/ of a writable copy and build there.
set -euo pipefail
cd "$(dirname "$0")/../.."

VERSION="${KUBE_VERSION:-${KUBE_APISERVER_VERSION:-v1.37.2}}"
STAGING_VERSION="v0${VERSION#v1}"
CACHE_DIR="$PWD/.cache/kube/$VERSION"
[ "$#" -gt 0 ] || { echo "usage: build-kube.sh <cmd>..." >&2; exit 2; }

version_of() { # what a binary says its version is ("Kubernetes v1.37.2"; kubectl has no --version)
  case "${1##*/}" in
    kubectl) "$1" version --client 2>/dev/null | sed -n 's/^Client Version: /Kubernetes /p' ;;
    *) "$1" --version 2>/dev/null | head -n1 ;;
  esac
}
stamped() { [ -x "$1" ] && [ "$(version_of "$1")" = "Kubernetes $VERSION" ]; }
missing() {
  local cmd
  for cmd in "$@"; do stamped "$CACHE_DIR/$cmd" || echo "$cmd"; done
}
mapfile -t TODO < <(missing "$@")
if [ "${#TODO[@]}" -eq 0 ]; then
  echo "$* $VERSION cached" >&2
  exit 0
fi
command -v go >/dev/null || { echo "build-kube: 'go' is not installed; cannot build ${TODO[*]}" >&2; exit 1; }

mkdir -p "$CACHE_DIR"
exec 9>"$CACHE_DIR/.lock"
flock 9 # two callers at once (a test run and CI) build once
mapfile -t TODO < <(missing "$@")
[ "${#TODO[@]}" -gt 0 ] || exit 0

echo "== downloading k8s.io/kubernetes@$VERSION through the Go module proxy" >&2
module_dir() { go mod download -json "$1" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p'; }
SRC=$(module_dir "k8s.io/kubernetes@$VERSION")
[ -n "$SRC" ] || { echo "build-kube: cannot download k8s.io/kubernetes@$VERSION" >&2; exit 1; }

WORK="$CACHE_DIR/src"
rm -rf "$WORK"
cp -r "$SRC" "$WORK"
chmod -R u+w "$WORK"
sed -n 's#^[[:space:]]*k8s.io/\([a-z0-9-]*\) => ./staging/src/k8s.io/.*#\1#p' "$WORK/go.mod" | while read -r name; do
  target="$WORK/staging/src/k8s.io/$name"
  mkdir -p "$WORK/staging/src/k8s.io"
  dir=$(module_dir "k8s.io/$name@$STAGING_VERSION" || true)
  if [ -n "$dir" ]; then
    cp -r "$dir" "$target"
    chmod -R u+w "$target"
  else
    # A few samples (e.g. sample-cli-plugin) are not published for every patch release; the
    # binaries do not import them, but go.work still wants a module there.
    echo "   k8s.io/$name@$STAGING_VERSION not on the proxy: empty placeholder module" >&2
    mkdir -p "$target"
    printf 'module k8s.io/%s\n\ngo 1.24\n' "$name" >"$target/go.mod"
  fi
done

# What hack/lib/version.sh stamps into a release build (without it: v0.0.0-master).
minor="${VERSION#v1.}"
minor="${minor%%.*}"
LDFLAGS=""
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  LDFLAGS+=" -X $pkg.gitVersion=$VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor"
  LDFLAGS+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=1970-01-01T00:00:00Z"
done
pkgs=()
for cmd in "${TODO[@]}"; do pkgs+=("./cmd/$cmd"); done
echo "== building ${TODO[*]} $VERSION (minutes per binary; nice 19 to leave the cores to others)" >&2
mkdir -p "$WORK/_out"
(cd "$WORK" && nice -n 19 env CGO_ENABLED=0 GOFLAGS=-buildvcs=false \
  go build -trimpath -ldflags "$LDFLAGS" -o "$WORK/_out/" "${pkgs[@]}") >&2
for cmd in "${TODO[@]}"; do mv "$WORK/_out/$cmd" "$CACHE_DIR/$cmd"; done
rm -rf "$WORK"
for cmd in "${TODO[@]}"; do echo "$cmd: $(version_of "$CACHE_DIR/$cmd")" >&2; done
