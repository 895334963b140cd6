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
go_install_cached "$(readlink -f "$CACHE")/kube-state-metrics/$VERSION/kube-state-metrics" \
  "k8s.io/kube-state-metrics/v2@$VERSION" \
  "-X github.com/prometheus/common/version.Version=${VERSION#v}" version
