#!/usr/bin/env bash
# First proof on the local cluster (up.sh): the notes chart as it ships, rendered with
# `helm template` and applied with kubectl into a namespace that enforces Pod Security
# `restricted`, against a PostgreSQL running in the cluster (the postgres:15-bookworm image of
# postgres-image.sh, namespace lateral-db) reached by its Service name through CoreDNS. Passes
# when the migration Job completed and the notes pod is Ready; prints the timings.
# Usage: prove-notes.sh [<image tag>]   (default: HEAD's SHA, as build-images.sh tags it)
set -euo pipefail
# shellcheck source=scripts/cluster/lib.sh
. "$(dirname "$0")/lib.sh"

KUBE_VERSION="${KUBE_VERSION:-v1.37.2}"
KUBECTL="$(readlink -f "$CACHE")/kube/$KUBE_VERSION/kubectl"
KUBECONFIG="$(readlink -f "$CACHE")/cluster/admin.kubeconfig"
export KUBECONFIG
REGISTRY="${REGISTRY:-ghcr.io/example-org}"
TAG="${1:-$(git_sha)}"
NS=lateral-local
NOTES_IMAGE="$REGISTRY/lateral-notes:$TAG"
PG_IMAGE=postgres:15-bookworm

start=$(now)
bash "$ROOT/scripts/cluster/docker-up.sh"
bash "$ROOT/scripts/cluster/postgres-image.sh"
image_exists "$NOTES_IMAGE" || bash "$ROOT/scripts/cluster/build-images.sh" notes >/dev/null
bash "$ROOT/scripts/cluster/up.sh" "$NOTES_IMAGE" "$PG_IMAGE"
HELM="$CACHE/tools/bin/helm"
if [ ! -x "$HELM" ]; then
  HELM=$(cd "$ROOT" && node --import ./scripts/ts-register.mjs --input-type=module \
    -e "const { ensureTool } = await import('./scripts/deploy/tools.ts'); console.log(ensureTool('helm'));" | tail -n1)
fi

t0=$(now)
"$KUBECTL" apply -f - >/dev/null <<YAML
apiVersion: v1
kind: Namespace
metadata:
  name: lateral-db
  labels: { pod-security.kubernetes.io/enforce: baseline }
---
apiVersion: v1
kind: Namespace
metadata:
  name: $NS
  labels:
    pod-security.kubernetes.io/enforce: restricted
    pod-security.kubernetes.io/warn: restricted
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
          image: $PG_IMAGE
          imagePullPolicy: Never
          args: [postgres, -c, fsync=off]
          env:
            - { name: POSTGRES_USER, value: lateral }
            - { name: POSTGRES_PASSWORD, value: lateral }
            - { name: POSTGRES_DB, value: notes }
          ports: [{ containerPort: 5432 }]
          readinessProbe:
            exec: { command: [pg_isready, -h, 127.0.0.1, -U, lateral, -d, notes] }
            periodSeconds: 2
          volumeMounts: [{ name: data, mountPath: /var/lib/postgresql }]
      volumes: [{ name: data, emptyDir: {} }]
---
apiVersion: v1
kind: Service
metadata: { name: postgres, namespace: lateral-db }
spec:
  selector: { app: postgres }
  ports: [{ port: 5432 }]
---
apiVersion: v1
kind: Secret
metadata: { name: lateral-notes, namespace: $NS }
stringData:
  LATERAL_INTERNAL_SECRET: local-cluster-internal-secret-0123456789abcdef
  DATABASE_URL: postgres://lateral:lateral@postgres.lateral-db.svc.cluster.local:5432/notes
YAML
"$KUBECTL" -n lateral-db rollout status deploy/postgres --timeout=120s >&2
log "PostgreSQL ready in the cluster ($(($(now) - t0)) s)"

t1=$(now)
# As Argo CD's sync waves (and Helm's pre-install hook) order it: the migration Job (with the
# ConfigMap and ServiceAccount it uses) first, the Deployment once it completed.
render() {
  "$HELM" template lateral-notes "$ROOT/helm/lateral-notes" --namespace "$NS" \
    --kube-version "$KUBE_VERSION" --skip-tests "$@" \
    --set image.tag="$TAG" --set image.pullPolicy=IfNotPresent --set replicaCount=1 \
    --set secrets.existingSecret=lateral-notes
}
# A previous run's Job is replaced, as Argo CD's BeforeHookCreation policy does.
"$KUBECTL" -n "$NS" delete job lateral-notes-migrate --ignore-not-found >&2
render --show-only templates/serviceaccount.yaml --show-only templates/configmap.yaml \
  --show-only templates/migration.yaml | "$KUBECTL" -n "$NS" apply -f - >&2
for _ in $(seq 1 180); do
  state=$("$KUBECTL" -n "$NS" get job lateral-notes-migrate \
    -o jsonpath='{range .status.conditions[?(@.status=="True")]}{.type} {end}')
  case "$state" in *Complete*) break ;; *Failed*) break ;; esac
  sleep 1
done
if [[ "$state" != *Complete* ]]; then
  for pod in $("$KUBECTL" -n "$NS" get pods -l job-name=lateral-notes-migrate -o name); do
    "$KUBECTL" -n "$NS" logs "$pod" --tail=20 >&2 || true
  done
  die "migration Job did not complete (${state:-still running})"
fi
log "migration Job complete ($(($(now) - t1)) s)"
render >"$CACHE/cluster/notes.rendered.yaml"
"$KUBECTL" -n "$NS" apply -f "$CACHE/cluster/notes.rendered.yaml" >&2
"$KUBECTL" -n "$NS" rollout status deploy/lateral-notes --timeout=180s >&2
log "notes Ready ($(($(now) - t1)) s after apply)"
"$KUBECTL" -n "$NS" get pods -o wide >&2
"$KUBECTL" -n "$NS" get pods -l app.kubernetes.io/name=lateral-notes \
  -o jsonpath='{range .items[*]}{.metadata.name}: runAsNonRoot={.spec.securityContext.runAsNonRoot} readOnlyRootFilesystem={.spec.containers[0].securityContext.readOnlyRootFilesystem}{"\n"}{end}' >&2
log "prove-notes passed in $(($(now) - start)) s"
