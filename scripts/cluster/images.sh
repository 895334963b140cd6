#!/usr/bin/env bash
# Stage one of the cluster proof (`npm run cluster:images`): a Docker engine (docker-up.sh), the
# base images assembled without a registry (node-image.sh, postgres-image.sh), the three
# service images from deploy/Dockerfile at HEAD (build-images.sh), and their smoke test
# (smoke-images.ts: read-only, uid 1000, exit 78 without configuration, migrate, /readyz, SIGTERM).
# Each step is cached and skipped when done. Prints the image tag on the last line.
set -euo pipefail
# shellcheck source=scripts/cluster/lib.sh
. "$(dirname "$0")/lib.sh"

start=$(now)
bash "$ROOT/scripts/cluster/docker-up.sh"
bash "$ROOT/scripts/cluster/node-image.sh"
bash "$ROOT/scripts/cluster/postgres-image.sh"
TAG=$(bash "$ROOT/scripts/cluster/build-images.sh" | tail -n1)
log "images built ($(($(now) - start)) s); smoke test"
(cd "$ROOT" && node --import ./scripts/ts-register.mjs scripts/cluster/smoke-images.ts "$TAG" >&2)
log "cluster:images done in $(($(now) - start)) s"
echo "$TAG"
