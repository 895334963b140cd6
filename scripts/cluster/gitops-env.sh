#!/usr/bin/env bash
# The GitOps environment of the cluster proof, shared by argocd-up.sh (the cluster of up.sh,
# Argo CD as host processes) and kind-up.sh (kind and Argo CD's release manifests on a GitHub
# runner): the checkout pushed to a bare repository, Argo CD's settings from
# argocd/argocd-values.yaml, the databases and plain Secrets of deploy/envs/local, the bootstrap
# applied as docs/deploy.md says, and the wait until every Application is Synced and Healthy.
# Sourced after lib.sh, with KUBECTL and HELM set.
# shellcheck disable=SC2154 # KUBECTL and HELM are set by the script that sources this file

LOCAL_NS=lateral-local

# push_checkout <bare repository> <image tag>: HEAD (with the work tree's deploy/envs/local, so a
# change to it is tried before it is committed) on branch main, image.yaml set to the tag.
push_checkout() {
  local bare="$1" tag="$2" work
  mkdir -p "$(dirname "$bare")"
  [ -d "$bare" ] || git init --quiet --bare --initial-branch=main "$bare"
  work=$(mktemp -d)
  git -C "$ROOT" archive --format=tar HEAD | tar -x -C "$work"
  rm -rf "$work/deploy/envs/local" && cp -r "$ROOT/deploy/envs/local" "$work/deploy/envs/local"
  cat >"$work/deploy/envs/local/image.yaml" <<YAML
# Written by scripts/cluster/gitops-env.sh: the images this machine built and loaded.
image:
  tag: $tag
  pullPolicy: IfNotPresent
YAML
  (
    cd "$work" || exit 1
    git init --quiet --initial-branch=main
    git -c user.name=lateral-local -c user.email=local@lateral.invalid add -A
    git -c user.name=lateral-local -c user.email=local@lateral.invalid commit --quiet \
      -m "$(git -C "$ROOT" log -1 --format='%h %s' | cut -c1-72) (image tag $tag)"
    git push --quiet --force "$bare" main
  )
  rm -rf "$work"
}

# argocd_cm_data: argocd/argocd-values.yaml's configs.cm as argocd-cm data lines (indented 2),
# as Argo CD's chart would write them; plus a short reconciliation timeout for the proof.
argocd_cm_data() {
  echo "  timeout.reconciliation: 20s"
  (cd "$ROOT" && node --input-type=module -e "
    import { readFileSync } from 'node:fs';
    import { parse, stringify } from 'yaml';
    const cm = parse(readFileSync('argocd/argocd-values.yaml', 'utf8')).configs.cm;
    process.stdout.write(stringify(cm).replace(/^/gm, '  '));")
}

# local_databases_and_secrets: the gateway and media databases beside notes' (PostgreSQL of
# prove-notes.sh in namespace lateral-db) and the services' plain Secrets (no SealedSecrets here).
local_databases_and_secrets() {
  "$KUBECTL" apply -f - >/dev/null <<YAML
apiVersion: v1
kind: Namespace
metadata:
  name: $LOCAL_NS
  labels:
    pod-security.kubernetes.io/enforce: restricted
YAML
  "$KUBECTL" -n lateral-db rollout status deploy/postgres --timeout=120s >/dev/null
  local db
  for db in gateway media; do
    "$KUBECTL" -n lateral-db exec deploy/postgres -- \
      sh -c "psql -U lateral -d notes -tAc \"SELECT 1 FROM pg_database WHERE datname='$db'\" | grep -q 1 || createdb -U lateral $db"
  done
  local internal=local-cluster-internal-secret-0123456789abcdef
  local url=postgres://lateral:lateral@postgres.lateral-db.svc.cluster.local:5432
  local_secret notes "LATERAL_INTERNAL_SECRET=$internal" "DATABASE_URL=$url/notes"
  local_secret media "LATERAL_INTERNAL_SECRET=$internal" "DATABASE_URL=$url/media"
  local_secret gateway "LATERAL_INTERNAL_SECRET=$internal" "DATABASE_URL=$url/gateway" \
    "SESSION_SECRET=local-cluster-session-secret-0123456789abcdef" \
    "LATERAL_ADMIN_PASSWORD=local-cluster-admin"
}
local_secret() { # local_secret <service> <key=value>...
  local name="lateral-$1"
  shift
  local args=() kv
  for kv in "$@"; do args+=(--from-literal="$kv"); done
  "$KUBECTL" -n "$LOCAL_NS" create secret generic "$name" "${args[@]}" --dry-run=client -o yaml |
    "$KUBECTL" apply -f - >/dev/null
}

# apply_bootstrap <repository URL>: argocd/bootstrap for deploy/envs/local, once, as docs/deploy.md says.
apply_bootstrap() {
  "$HELM" template lateral-bootstrap "$ROOT/argocd/bootstrap" --namespace argocd \
    -f "$ROOT/deploy/envs/local/bootstrap.yaml" --set repoURL="$1" |
    "$KUBECTL" apply -n argocd -f - >&2
  # A new commit is seen at once rather than at the next poll of the repository.
  "$KUBECTL" -n argocd annotate applications --all argocd.argoproj.io/refresh=normal --overwrite >/dev/null
}

# wait_synced <revision>: every Application Synced to it and Healthy (10 minutes at most).
wait_synced() {
  local revision="$1" states total good
  for _ in $(seq 1 300); do
    states=$("$KUBECTL" -n argocd get applications \
      -o jsonpath='{range .items[*]}{.metadata.name}={.status.sync.status}/{.status.health.status}@{.status.sync.revision}{"\n"}{end}')
    total=$(grep -c . <<<"$states" || true)
    good=$(grep -c "=Synced/Healthy@$revision\$" <<<"$states" || true)
    if [ "$total" -ge 4 ] && [ "$good" -eq "$total" ]; then
      echo "$states" >&2
      return 0
    fi
    sleep 2
  done
  echo "$states" >&2
  return 1
}
