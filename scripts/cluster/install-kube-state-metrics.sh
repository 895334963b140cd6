#!/usr/bin/env bash
# kube-state-metrics from the Go module proxy, cached under .cache/kube-state-metrics/<version>/,
# for the cluster proof's metrics check (prove-gitops.ts): the rollout dashboard's replica and
# restart panels and the workload alerts read its kube_* series, as they do in a cluster where
# kube-prometheus-stack runs it. It runs beside the API server on loopback (like Prometheus), with
# the admin kubeconfig. nice 19.
set -euo pipefail
# shellcheck source=scripts/cluster/lib.sh
. "$(dirname "$0")/lib.sh"

VERSION="${KUBE_STATE_METRICS_VERSION:-v2.20.0}"
DIR="$(readlink -f "$CACHE")/kube-state-metrics/$VERSION"
BIN="$DIR/kube-state-metrics"

if [ -x "$BIN" ] && "$BIN" version >/dev/null 2>&1; then
  log "kube-state-metrics $VERSION cached"
  exit 0
fi
command -v go >/dev/null || die "'go' is not installed; cannot build kube-state-metrics"
mkdir -p "$DIR"
exec 9>"$DIR/.lock"
flock 9
start=$(now)
log "building kube-state-metrics $VERSION (a few CPU-minutes; nice 19)"
(cd "$DIR" && nice -n 19 env GOBIN="$DIR/bin.tmp" CGO_ENABLED=0 GOFLAGS=-buildvcs=false go install \
  -trimpath -ldflags "-s -w -X github.com/prometheus/common/version.Version=${VERSION#v}" \
  "k8s.io/kube-state-metrics/v2@$VERSION") >&2
mv "$DIR/bin.tmp/kube-state-metrics" "$BIN"
rm -rf "$DIR/bin.tmp"
log "kube-state-metrics $VERSION built in $(($(now) - start)) s"
