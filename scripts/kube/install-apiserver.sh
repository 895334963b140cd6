#!/usr/bin/env bash
# Builds kube-apiserver from the official k8s.io/kubernetes Go module (scripts/kube/build-kube.sh:
# through the Go module proxy, version-stamped) and caches the binary under .cache/kube/<version>/.
# Prints the binary's path on the last line of stdout. Idempotent: a cached binary is reused.
set -euo pipefail
cd "$(dirname "$0")/../.."

VERSION="${KUBE_APISERVER_VERSION:-v1.37.2}"
BIN="$PWD/.cache/kube/$VERSION/kube-apiserver"
KUBE_VERSION="$VERSION" bash scripts/kube/build-kube.sh kube-apiserver
"$BIN" --version >&2
echo "$BIN"
