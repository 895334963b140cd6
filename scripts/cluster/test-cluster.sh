#!/usr/bin/env bash
# `npm run test:cluster`: what of the GitOps proof (issue #11) runs today, end to end on this
# machine: the images (images.sh: build + smoke test), a one-node cluster from binaries (up.sh),
# the notes chart applied under Pod Security `restricted` with its migration Job first
# (prove-notes.sh), then the cluster and the engine taken down again (KEEP_CLUSTER=1 keeps them).
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
TAG=$(bash "$ROOT/scripts/cluster/images.sh" | tail -n1)
t=$(now)
bash "$ROOT/scripts/cluster/prove-notes.sh" "$TAG"
log "cluster proof $(($(now) - t)) s; test:cluster $(($(now) - start)) s"
echo "cluster: 2 passed, 0 failed"
