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
mkdir -p "$STATE/git"
[ -d "$BARE" ] || git init --quiet --bare --initial-branch=main "$BARE"
work=$(mktemp -d)
git -C "$ROOT" archive --format=tar HEAD | tar -x -C "$work"
# The local environment as the work tree has it (a change to it is tried before it is committed).
rm -rf "$work/deploy/envs/local" && cp -r "$ROOT/deploy/envs/local" "$work/deploy/envs/local"
cat >"$work/deploy/envs/local/image.yaml" <<YAML
# Written by scripts/cluster/argocd-up.sh: the images this machine built and loaded.
image:
  tag: $TAG
  pullPolicy: IfNotPresent
YAML
(
  cd "$work"
  git init --quiet --initial-branch=main
  git -c user.name=lateral-local -c user.email=local@lateral.invalid add -A
  git -c user.name=lateral-local -c user.email=local@lateral.invalid commit --quiet \
    -m "$(git -C "$ROOT" log -1 --format='%h %s' | cut -c1-72) (image tag $TAG)"
  git push --quiet --force "$BARE" main
)
rm -rf "$work"
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
  timeout.reconciliation: 20s
$(cd "$ROOT" && node --input-type=module -e "
  // argocd/argocd-values.yaml's configs.cm, as the argo-cd chart would put it in argocd-cm.
  import { readFileSync } from 'node:fs';
  import { parse, stringify } from 'yaml';
  const cm = parse(readFileSync('argocd/argocd-values.yaml', 'utf8')).configs.cm;
  process.stdout.write(stringify(cm).replace(/^/gm, '  '));")
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
"$KUBECTL" apply -f - >/dev/null <<YAML
apiVersion: v1
kind: Namespace
metadata:
  name: $NS
  labels:
    pod-security.kubernetes.io/enforce: restricted
YAML
"$KUBECTL" -n lateral-db rollout status deploy/postgres --timeout=120s >/dev/null
for db in gateway media; do
  "$KUBECTL" -n lateral-db exec deploy/postgres -- \
    sh -c "psql -U lateral -d notes -tAc \"SELECT 1 FROM pg_database WHERE datname='$db'\" | grep -q 1 || createdb -U lateral $db"
done
secret() { # secret <service> <key=value>...
  local name="lateral-$1"
  shift
  local args=()
  for kv in "$@"; do args+=(--from-literal="$kv"); done
  "$KUBECTL" -n "$NS" create secret generic "$name" "${args[@]}" --dry-run=client -o yaml |
    "$KUBECTL" apply -f - >/dev/null
}
INTERNAL=local-cluster-internal-secret-0123456789abcdef
DB=postgres://lateral:lateral@postgres.lateral-db.svc.cluster.local:5432
secret notes "LATERAL_INTERNAL_SECRET=$INTERNAL" "DATABASE_URL=$DB/notes"
secret media "LATERAL_INTERNAL_SECRET=$INTERNAL" "DATABASE_URL=$DB/media"
secret gateway "LATERAL_INTERNAL_SECRET=$INTERNAL" "DATABASE_URL=$DB/gateway" \
  "SESSION_SECRET=local-cluster-session-secret-0123456789abcdef" \
  "LATERAL_ADMIN_PASSWORD=local-cluster-admin"

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
"$HELM" template lateral-bootstrap "$ROOT/argocd/bootstrap" --namespace argocd \
  -f "$ROOT/deploy/envs/local/bootstrap.yaml" --set repoURL="$REPO_URL" |
  "$KUBECTL" apply -n argocd -f - >&2
# A new commit is seen at once rather than at the next poll of the repository.
"$KUBECTL" -n argocd annotate applications --all argocd.argoproj.io/refresh=normal --overwrite >/dev/null
log "bootstrap applied; waiting for every Application to be Synced to ${REVISION:0:12} and Healthy"
for _ in $(seq 1 300); do
  states=$("$KUBECTL" -n argocd get applications \
    -o jsonpath='{range .items[*]}{.metadata.name}={.status.sync.status}/{.status.health.status}@{.status.sync.revision}{"\n"}{end}')
  total=$(grep -c . <<<"$states" || true)
  good=$(grep -c "=Synced/Healthy@$REVISION\$" <<<"$states" || true)
  if [ "$total" -ge 4 ] && [ "$good" -eq "$total" ]; then break; fi
  sleep 2
done
echo "$states" >&2
{ [ "$total" -ge 4 ] && [ "$good" -eq "$total" ]; } || die "not every Application is Synced/Healthy (logs: $STATE/logs/argocd-*.log)"
"$KUBECTL" -n "$NS" get pods >&2
log "Argo CD synced the local environment in $(($(now) - t)) s (argocd-up.sh $(($(now) - start)) s)"
