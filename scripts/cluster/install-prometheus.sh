#!/usr/bin/env bash
# Prometheus from the Go module proxy, cached under .cache/prometheus/<version>/, for the cluster
# proof's metrics check (prove-gitops.ts). Debian's package cannot do it: its build leaves the
# Kubernetes service discovery out ("field kubernetes_sd_configs not found"), and finding the
# pods through the API server the way the Prometheus Operator does is what is being proven.
# Prometheus 3.x is published as module versions v0.3xx.y (v0.316.0 is 3.16.0). The module zip
# has no built web UI; the HTTP API, scraping and rules are all there. nice 19.
set -euo pipefail
# shellcheck source=scripts/cluster/lib.sh
. "$(dirname "$0")/lib.sh"

MODULE_VERSION="${PROMETHEUS_MODULE_VERSION:-v0.316.0}"
DIR="$(readlink -f "$CACHE")/prometheus/$MODULE_VERSION"
BIN="$DIR/prometheus"

if [ -x "$BIN" ] && "$BIN" --version >/dev/null 2>&1; then
  log "prometheus $MODULE_VERSION cached"
  exit 0
fi
command -v go >/dev/null || die "'go' is not installed; cannot build Prometheus"
mkdir -p "$DIR"
exec 9>"$DIR/.lock"
flock 9
start=$(now)
minor=${MODULE_VERSION#v0.3}
version="3.${minor%%.*}.${MODULE_VERSION##*.}"
log "building Prometheus $version (module $MODULE_VERSION; a few CPU-minutes; nice 19)"
(cd "$DIR" && nice -n 19 env GOBIN="$DIR/bin.tmp" CGO_ENABLED=0 GOFLAGS=-buildvcs=false go install \
  -trimpath -ldflags "-s -w -X github.com/prometheus/common/version.Version=$version" \
  "github.com/prometheus/prometheus/cmd/prometheus@$MODULE_VERSION") >&2
mv "$DIR/bin.tmp/prometheus" "$BIN"
rm -rf "$DIR/bin.tmp"
log "$("$BIN" --version | head -n1) built in $(($(now) - start)) s"
