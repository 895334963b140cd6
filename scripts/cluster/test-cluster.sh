#!/usr/bin/env bash
# `npm run test:cluster`: what of the GitOps proof (issue #11) runs today, end to end on this
# machine: the images (images.sh: build + smoke test), a one-node cluster from binaries (up.sh),
# the notes chart applied under Pod Security `restricted` with its migration Job first
# (prove-notes.sh), Argo CD syncing this repository's argocd/bootstrap for deploy/envs/local from
# a local git server until every Application is Synced and Healthy (argocd-up.sh), the GitOps
# proof driven by commits (prove-gitops.ts: writes .cache/cluster/report.json and report.md),
# then the cluster and the engine taken down again (KEEP_CLUSTER=1 keeps them).
# TEST_CLUSTER_ARGOCD=0 leaves Argo CD out (its first build is about 15 minutes on two cores),
# TEST_CLUSTER_GITOPS=0 the proof after the first sync.
set -euo pipefail
# shellcheck source=scripts/cluster/lib.sh
. "$(dirname "$0")/lib.sh"

start=$(now)
engine_was_up=false
docker_answers && engine_was_up=true
cleanup() {
  if [ "${KEEP_CLUSTER:-}" != 1 ]; then
    bash "$ROOT/scripts/cluster/down.sh" || true
    # Leave no engine behind that this run started: with one answering, every test run on this
    # machine takes the testcontainers path.
    [ "$engine_was_up" = true ] || bash "$ROOT/scripts/cluster/docker-down.sh" || true
  fi
}
trap cleanup EXIT
# Every run proves a bootstrap from an empty cluster: objects an earlier run left in etcd (its
# pods restarting against a database that is starting too, Jobs of another commit) would make
# the proof about that history instead. The images stay, so this costs a first sync only.
bash "$ROOT/scripts/cluster/down.sh" --reset
TAG=$(bash "$ROOT/scripts/cluster/images.sh" | tail -n1)
t=$(now)
bash "$ROOT/scripts/cluster/prove-notes.sh" "$TAG"
t2=$(now)
if [ "${TEST_CLUSTER_ARGOCD:-1}" = 0 ]; then
  log "cluster + notes $((t2 - t)) s; Argo CD left out (TEST_CLUSTER_ARGOCD=0); test:cluster $(($(now) - start)) s"
  echo "cluster: 2 passed, 0 failed"
  exit 0
fi
bash "$ROOT/scripts/cluster/argocd-up.sh" "$TAG"
t3=$(now)
if [ "${TEST_CLUSTER_GITOPS:-1}" = 0 ]; then
  log "cluster + notes $((t2 - t)) s, Argo CD $((t3 - t2)) s; GitOps proof left out (TEST_CLUSTER_GITOPS=0); test:cluster $(($(now) - start)) s"
  echo "cluster: 3 passed, 0 failed"
  exit 0
fi
# The GitOps proof: the wiki through the gateway, roll out and back by commits under load, drift,
# Prometheus through Kubernetes service discovery, /ops, NetworkPolicies (prove-gitops.ts).
bash "$ROOT/scripts/cluster/install-prometheus.sh"
bash "$ROOT/scripts/cluster/install-kube-state-metrics.sh"
apt_ensure "heif-enc libheif-examples"
C="$(readlink -f "$CACHE")"
status=0
(cd "$ROOT" && KUBECTL="$C/kube/${KUBE_VERSION:-v1.37.2}/kubectl" KUBECONFIG="$C/cluster/admin.kubeconfig" \
  CLUSTER_STATE="$C/cluster" CTR_ADDRESS=/run/lateral-containerd/containerd.sock TAG="$TAG" \
  PROMETHEUS_BIN="$C/prometheus/${PROMETHEUS_MODULE_VERSION:-v0.316.0}/prometheus" \
  KUBE_STATE_METRICS_BIN="$C/kube-state-metrics/${KUBE_STATE_METRICS_VERSION:-v2.20.0}/kube-state-metrics" \
  ARGOCD_BIN="$C/argocd/${ARGOCD_VERSION:-v3.6.2}/argocd" \
  node --import ./scripts/ts-register.mjs scripts/cluster/prove-gitops.ts) || status=$?
log "cluster + notes $((t2 - t)) s, Argo CD $((t3 - t2)) s, GitOps proof $(($(now) - t3)) s; test:cluster $(($(now) - start)) s (report: $C/cluster/report.md, report.json)"
[ "$status" = 0 ] || die "the GitOps proof failed (report: $C/cluster/report.md)"
echo "cluster: 4 passed, 0 failed"
