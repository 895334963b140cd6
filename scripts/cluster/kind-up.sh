#!/usr/bin/env bash
# The cluster proof's cluster the conventional way, for a GitHub runner (.github/workflows/
# cluster.yml): kind (pinned, from the Go module proxy), Argo CD from its release manifests, the
# three images loaded with `kind load`, PostgreSQL as prove-notes.sh runs it, and this checkout
# served to Argo CD by `git daemon` on the kind network's gateway. The node's pod and Service
# ranges are routed through the node's address, so prove-gitops.ts reaches Services and pods as
# it does on the machine's own cluster. Writes the variables prove-gitops.ts needs to $GITHUB_ENV
# (or prints them).
# Usage: kind-up.sh <image tag>   (the images ghcr.io/example-org/lateral-<service>:<tag> built)
set -euo pipefail
# shellcheck source=scripts/cluster/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=scripts/cluster/gitops-env.sh
. "$(dirname "$0")/gitops-env.sh"

TAG="${1:?usage: kind-up.sh <image tag>}"
KIND_VERSION="${KIND_VERSION:-v0.33.0}"
KIND_NODE_IMAGE="${KIND_NODE_IMAGE:-}"
ARGOCD_VERSION="${ARGOCD_VERSION:-v3.6.2}"
CLUSTER=lateral
STATE="$(readlink -f "$CACHE")/kind"
BARE="$STATE/git/lateral.git"
DOCKER=docker
mkdir -p "$STATE"

GOBIN="$STATE/bin" go install "sigs.k8s.io/kind@$KIND_VERSION"
KIND="$STATE/bin/kind"
export KUBECONFIG="$STATE/kubeconfig"
"$KIND" create cluster --name "$CLUSTER" --wait 120s ${KIND_NODE_IMAGE:+--image "$KIND_NODE_IMAGE"}
KUBECTL="$STATE/bin/kubectl"
"$DOCKER" cp "$CLUSTER-control-plane:/usr/bin/kubectl" "$KUBECTL"
HELM=$(cd "$ROOT" && node --import ./scripts/ts-register.mjs --input-type=module \
  -e "const { ensureTool } = await import('./scripts/deploy/tools.ts'); console.log(ensureTool('helm'));" | tail -n1)

# Pods and Services reached from the runner through the node (kube-proxy DNATs Service traffic).
NODE_IP=$("$DOCKER" inspect -f '{{.NetworkSettings.Networks.kind.IPAddress}}' "$CLUSTER-control-plane")
sudo ip route replace 10.244.0.0/16 via "$NODE_IP"
sudo ip route replace 10.96.0.0/12 via "$NODE_IP"
GATEWAY_IP=$("$DOCKER" network inspect kind \
  -f '{{range .IPAM.Config}}{{if not (eq (len .Gateway) 0)}}{{.Gateway}} {{end}}{{end}}' | tr ' ' '\n' | grep -F . | head -n1)

for service in gateway notes media; do
  "$KIND" load docker-image --name "$CLUSTER" "ghcr.io/example-org/lateral-$service:$TAG"
done

# PostgreSQL in namespace lateral-db, as prove-notes.sh runs it (Docker Hub is reachable here).
"$KUBECTL" apply -f - >/dev/null <<YAML
apiVersion: v1
kind: Namespace
metadata:
  name: lateral-db
  labels: { pod-security.kubernetes.io/enforce: baseline }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: postgres, namespace: lateral-db }
spec:
  replicas: 1
  selector: { matchLabels: { app: postgres } }
  template:
    metadata: { labels: { app: postgres } }
    spec:
      containers:
        - name: postgres
          image: postgres:15-bookworm
          args: [postgres, -c, fsync=off]
          env:
            - { name: POSTGRES_USER, value: lateral }
            - { name: POSTGRES_PASSWORD, value: lateral }
            - { name: POSTGRES_DB, value: notes }
          readinessProbe:
            exec: { command: [pg_isready, -h, 127.0.0.1, -U, lateral, -d, notes] }
            periodSeconds: 2
---
apiVersion: v1
kind: Service
metadata: { name: postgres, namespace: lateral-db }
spec:
  selector: { app: postgres }
  ports: [{ port: 5432 }]
YAML

# Argo CD from its release manifests, with argocd/argocd-values.yaml's settings in argocd-cm.
"$KUBECTL" create namespace argocd --dry-run=client -o yaml | "$KUBECTL" apply -f - >/dev/null
"$KUBECTL" apply -n argocd --server-side --force-conflicts \
  -f "https://raw.githubusercontent.com/argoproj/argo-cd/$ARGOCD_VERSION/manifests/install.yaml" >/dev/null
"$KUBECTL" apply -f - >/dev/null <<YAML
apiVersion: v1
kind: ConfigMap
metadata:
  name: argocd-cm
  namespace: argocd
  labels: { app.kubernetes.io/name: argocd-cm, app.kubernetes.io/part-of: argocd }
data:
$(argocd_cm_data)
YAML
"$KUBECTL" -n argocd rollout status statefulset/argocd-application-controller --timeout=300s >&2
"$KUBECTL" -n argocd rollout status deploy/argocd-repo-server --timeout=300s >&2

# The repository, served read-only by git daemon to the cluster.
push_checkout "$BARE" "$TAG"
touch "$BARE/git-daemon-export-ok"
setsid git daemon --reuseaddr --listen="$GATEWAY_IP" --base-path="$STATE/git" "$STATE/git" \
  >"$STATE/git-daemon.log" 2>&1 </dev/null &
REVISION=$(git -C "$BARE" rev-parse main)

local_databases_and_secrets
apply_bootstrap "git://$GATEWAY_IP/lateral.git"
log "bootstrap applied; waiting for every Application to be Synced to ${REVISION:0:12} and Healthy"
wait_synced "$REVISION" || die "not every Application is Synced/Healthy"

ARGOCD_METRICS="$("$KUBECTL" -n argocd get svc argocd-metrics -o jsonpath='{.spec.clusterIP}'):8082"
vars="KUBECTL=$KUBECTL
KUBECONFIG=$KUBECONFIG
CLUSTER_STATE=$STATE
CLUSTER_RETAG=kind
ARGOCD_METRICS=$ARGOCD_METRICS"
if [ -n "${GITHUB_ENV:-}" ]; then echo "$vars" >>"$GITHUB_ENV"; else echo "$vars"; fi
log "kind cluster $CLUSTER synced by Argo CD $ARGOCD_VERSION at ${REVISION:0:12}"
