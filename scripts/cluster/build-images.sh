#!/usr/bin/env bash
# Builds the three images (gateway, notes, media) from deploy/Dockerfile with the local Docker
# engine's BuildKit, tagged <registry>/lateral-<service>:<tag> (the charts' default repository,
# so a chart renders them with pullPolicy IfNotPresent). Starts the engine and assembles the
# base image first when needed.
# What is built: the committed HEAD (`git archive`, so the image is exactly the commit its tag
# names, whatever else the work tree holds), tagged with its SHA. BUILD_CONTEXT=worktree builds
# the work tree instead (to try an uncommitted change), tagged <sha>-dirty when the build inputs
# differ from HEAD. IMAGE_TAG overrides the tag.
# Usage: build-images.sh [gateway|notes|media]...   (default: all three)
set -euo pipefail
# shellcheck source=scripts/cluster/lib.sh
. "$(dirname "$0")/lib.sh"

REGISTRY="${REGISTRY:-ghcr.io/example-org}"
SHA=$(git_sha)
TAG="$SHA"
if [ "${BUILD_CONTEXT:-head}" = worktree ]; then
  CONTEXT="$ROOT"
  if [ -n "$(git -C "$ROOT" status --porcelain -- apps libs package.json package-lock.json \
    tsconfig.base.json tsconfig.build.json deploy/Dockerfile .dockerignore)" ]; then
    TAG="$SHA-dirty"
  fi
else
  CONTEXT="$CACHE/images/context"
  rm -rf "$CONTEXT" && mkdir -p "$CONTEXT"
  git -C "$ROOT" archive --format=tar HEAD | tar -x -C "$CONTEXT"
fi
TAG="${IMAGE_TAG:-$TAG}"
TARGETS=("$@")
[ "${#TARGETS[@]}" -gt 0 ] || TARGETS=(gateway notes media)

bash "$ROOT/scripts/cluster/docker-up.sh"
bash "$ROOT/scripts/cluster/node-image.sh"
mkdir -p "$CACHE/images/logs"
for target in "${TARGETS[@]}"; do
  image="$REGISTRY/lateral-$target:$TAG"
  start=$(now)
  if ! nice -n 19 "$DOCKER" build --progress=plain --file "$CONTEXT/deploy/Dockerfile" --target "$target" \
    --build-arg "GIT_SHA=$SHA" --build-arg "VERSION=$TAG" --tag "$image" "$CONTEXT" \
    >"$CACHE/images/logs/$target.log" 2>&1; then
    tail -n 40 "$CACHE/images/logs/$target.log" >&2
    die "building $target failed (log: $CACHE/images/logs/$target.log)"
  fi
  size=$("$DOCKER" image inspect --format '{{.Size}}' "$image" | numfmt --to=si)
  log "built $image in $(($(now) - start)) s ($size)"
done
echo "$TAG"
