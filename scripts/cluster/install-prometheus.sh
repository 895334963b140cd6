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
minor=${MODULE_VERSION#v0.3}
version="3.${minor%%.*}.${MODULE_VERSION##*.}"
go_install_cached "$(readlink -f "$CACHE")/prometheus/$MODULE_VERSION/prometheus" \
  "github.com/prometheus/prometheus/cmd/prometheus@$MODULE_VERSION" \
  "-X github.com/prometheus/common/version.Version=$version" --version
