#!/usr/bin/env bash
# Builds kube-apiserver from the official k8s.io/kubernetes Go module (through the Go module proxy:
# no other download is reachable on CI) and caches the binary under .cache/kube/<version>/.
# Prints the binary's path on the last line of stdout. Idempotent: a cached binary is reused.
#
# Why not `go install k8s.io/kubernetes/cmd/kube-apiserver@...`: the module's go.mod replaces every
# k8s.io/* staging module with ./staging/src/k8s.io/<name>, and a module zip leaves out nested modules,
# so those directories are missing. Each staging module is published on its own as k8s.io/<name>
# v0.<minor>.<patch> from the same tag; we copy those into staging/ of a writable copy and build there.
set -euo pipefail
cd "$(dirname "$0")/../.."

VERSION="${KUBE_APISERVER_VERSION:-v1.37.2}"
STAGING_VERSION="v0${VERSION#v1}"
CACHE_DIR="$PWD/.cache/kube/$VERSION"
BIN="$CACHE_DIR/kube-apiserver"

if [ -x "$BIN" ] && "$BIN" --version >/dev/null 2>&1; then
  echo "kube-apiserver $VERSION cached"
  echo "$BIN"
  exit 0
fi
command -v go >/dev/null || { echo "install-apiserver: 'go' is not installed; cannot build kube-apiserver" >&2; exit 1; }

mkdir -p "$CACHE_DIR"
exec 9>"$CACHE_DIR/.lock"
flock 9 # two callers at once (a test run and CI) build once
if [ -x "$BIN" ]; then echo "$BIN"; exit 0; fi

echo "== downloading k8s.io/kubernetes@$VERSION through the Go module proxy" >&2
module_dir() { go mod download -json "$1" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p'; }
SRC=$(module_dir "k8s.io/kubernetes@$VERSION")
[ -n "$SRC" ] || { echo "install-apiserver: cannot download k8s.io/kubernetes@$VERSION" >&2; exit 1; }

WORK="$CACHE_DIR/src"
rm -rf "$WORK"
cp -r "$SRC" "$WORK"
chmod -R u+w "$WORK"
for name in $(sed -n 's#^[[:space:]]*k8s.io/\([a-z0-9-]*\) => ./staging/src/k8s.io/.*#\1#p' "$WORK/go.mod"); do
  target="$WORK/staging/src/k8s.io/$name"
  mkdir -p "$WORK/staging/src/k8s.io"
  dir=$(module_dir "k8s.io/$name@$STAGING_VERSION" || true)
  if [ -n "$dir" ]; then
    cp -r "$dir" "$target"
    chmod -R u+w "$target"
  else
    # A few samples (e.g. sample-cli-plugin) are not published for every patch release; the
    # apiserver does not import them, but go.work still wants a module there.
    echo "   k8s.io/$name@$STAGING_VERSION not on the proxy: empty placeholder module" >&2
    mkdir -p "$target"
    printf 'module k8s.io/%s\n\ngo 1.24\n' "$name" >"$target/go.mod"
  fi
done

echo "== building kube-apiserver $VERSION (several minutes; nice 19 to leave the cores to others)" >&2
(cd "$WORK" && nice -n 19 env CGO_ENABLED=0 GOFLAGS=-buildvcs=false go build -trimpath -o "$BIN.tmp" ./cmd/kube-apiserver) >&2
mv "$BIN.tmp" "$BIN"
rm -rf "$WORK"
"$BIN" --version >&2
echo "$BIN"
