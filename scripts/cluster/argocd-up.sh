#!/usr/bin/env bash
# Argo CD on the local cluster (up.sh), syncing this repository from a local git server:
# install-argocd.sh's binary runs as application controller and repo server (processes on the
# host, ARGOCD_FAKE_IN_CLUSTER: the API server of admin.kubeconfig is "in-cluster"), with
# Debian's redis and git and the pinned helm. HEAD is pushed to branch main of a bare repository
# in .cache/cluster/git/, with deploy/envs/local/image.yaml set to the tag given; the plain
# Secrets of deploy/envs/local are created, then argocd/bootstrap is applied with
# deploy/envs/local/bootstrap.yaml. Waits until every Application is Synced and Healthy.
# Usage: argocd-up.sh <image tag>   (after prove-notes.sh, whose PostgreSQL it uses; the images
# of that tag must have been built: build-images.sh)
set -euo pipefail
# shellcheck source=scripts/cluster/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=scripts/cluster/gitops-env.sh
. "$(dirname "$0")/gitops-env.sh"

TAG="${1:?usage: argocd-up.sh <image tag>}"
KUBE_VERSION="${KUBE_VERSION:-v1.37.2}"
ARGOCD_VERSION="${ARGOCD_VERSION:-v3.6.2}"
C="$(readlink -f "$CACHE")"
KUBECTL="$C/kube/$KUBE_VERSION/kubectl"
STATE="$C/cluster"
ARGO="$C/argocd/$ARGOCD_VERSION"
export KUBECONFIG="$STATE/admin.kubeconfig"
REDIS_PORT=16379
REPO_PORT=18081
BARE="$STATE/git/lateral.git"
REPO_URL="file://$BARE"
NS=lateral-local

start=$(now)
apt_ensure "redis-server redis-server" "git git"
bash "$ROOT/scripts/cluster/up.sh" "ghcr.io/example-org/lateral-gateway:$TAG" \
  "ghcr.io/example-org/lateral-notes:$TAG" "ghcr.io/example-org/lateral-media:$TAG"
bash "$ROOT/scripts/cluster/install-argocd.sh"
HELM="$CACHE/tools/bin/helm"
[ -x "$HELM" ] || HELM=$(cd "$ROOT" && node --import ./scripts/ts-register.mjs --input-type=module \
  -e "const { ensureTool } = await import('./scripts/deploy/tools.ts'); console.log(ensureTool('helm'));" | tail -n1)

running() {
  local pid
  pid=$(cat "$STATE/pids/$1.pid" 2>/dev/null) || return 1
  alive "$pid"
}
launch() {
  local name="$1"
  shift
  if running "$name"; then return 0; fi
  setsid "$@" >>"$STATE/logs/$name.log" 2>&1 </dev/null &
  echo $! >"$STATE/pids/$name.pid"
}

# --- the local git server: HEAD on main, with the image tag of this run
push_checkout "$BARE" "$TAG"
REVISION=$(git -C "$BARE" rev-parse main)

# --- Argo CD's own objects: CRDs, namespace, the settings its components read
"$KUBECTL" apply --server-side -f "$ARGO/crds/" >/dev/null
"$KUBECTL" apply -f - >/dev/null <<YAML
apiVersion: v1
kind: Namespace
metadata: { name: argocd }
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: argocd-cm
  namespace: argocd
  labels: { app.kubernetes.io/part-of: argocd }
data:
$(argocd_cm_data)
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: argocd-rbac-cm
  namespace: argocd
  labels: { app.kubernetes.io/part-of: argocd }
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: argocd-cmd-params-cm
  namespace: argocd
  labels: { app.kubernetes.io/part-of: argocd }
---
apiVersion: v1
kind: Secret
metadata:
  name: argocd-secret
  namespace: argocd
  labels: { app.kubernetes.io/part-of: argocd }
stringData:
  server.secretkey: local-cluster-argocd-server-key
YAML
for crd in applications.argoproj.io appprojects.argoproj.io; do
  for _ in $(seq 1 60); do
    [ "$("$KUBECTL" get crd "$crd" -o jsonpath='{.status.conditions[?(@.type=="Established")].status}' 2>/dev/null)" = True ] && break
    sleep 0.5
  done
done

# --- the services' databases and plain Secrets (the local environment has no SealedSecrets)
local_databases_and_secrets

# --- Argo CD: redis, repo server, application controller
export ARGOCD_FAKE_IN_CLUSTER=true
# The image's /app/config paths, here under .cache/cluster/argocd; no GnuPG commit verification.
export ARGOCD_GPG_ENABLED=false
export ARGOCD_SSH_DATA_PATH="$STATE/argocd/ssh" ARGOCD_TLS_DATA_PATH="$STATE/argocd/tls"
export ARGOCD_GNUPGHOME="$STATE/argocd/gnupg"
mkdir -p "$ARGOCD_SSH_DATA_PATH" "$ARGOCD_TLS_DATA_PATH" "$ARGOCD_GNUPGHOME"
HELM_DIR=$(dirname "$HELM")
export PATH="$ARGO/bin:$HELM_DIR:$PATH"
launch argocd-redis redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no
# TLS with the certificate the repo server generates for itself (the controller does not verify it)
launch argocd-repo-server "$ARGO/bin/argocd-repo-server" --port "$REPO_PORT" \
  --redis "127.0.0.1:$REDIS_PORT" --metrics-port 18084 --address 127.0.0.1
launch argocd-application-controller "$ARGO/bin/argocd-application-controller" \
  --namespace argocd --repo-server "127.0.0.1:$REPO_PORT" \
  --redis "127.0.0.1:$REDIS_PORT" --metrics-port 18082 --app-resync 30 \
  --status-processors 2 --operation-processors 2

# --- the bootstrap, applied once as docs/deploy.md says
t=$(now)
apply_bootstrap "$REPO_URL"
log "bootstrap applied; waiting for every Application to be Synced to ${REVISION:0:12} and Healthy"
wait_synced "$REVISION" || die "not every Application is Synced/Healthy (logs: $STATE/logs/argocd-*.log)"
"$KUBECTL" -n "$NS" get pods >&2
log "Argo CD synced the local environment in $(($(now) - t)) s (argocd-up.sh $(($(now) - start)) s)"
