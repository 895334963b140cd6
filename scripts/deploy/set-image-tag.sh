#!/usr/bin/env bash
# Writes the image tag of one environment (deploy/envs/<env>/image.yaml). Used by the release
# workflow (dev, after every merge) and the promotion workflow (staging, prod).
#   scripts/deploy/set-image-tag.sh <env> <git-sha>
#   scripts/deploy/set-image-tag.sh --get <env>
set -euo pipefail
cd "$(dirname "$0")/../.."

if [ "${1:-}" = "--get" ]; then
  sed -n 's/^  tag: *//p' "deploy/envs/${2:?env}/image.yaml"
  exit 0
fi

env="${1:?usage: set-image-tag.sh <env> <git-sha>}"
tag="${2:?usage: set-image-tag.sh <env> <git-sha>}"
file="deploy/envs/${env}/image.yaml"
# Tags are full git SHAs: pinned, never latest, and `git show <tag>` says what runs.
if ! [[ "$tag" =~ ^[0-9a-f]{40}$ ]]; then
  echo "not a full git SHA: $tag" >&2
  exit 1
fi
if ! grep -q '^  tag: ' "$file"; then
  echo "$file has no image tag line" >&2
  exit 1
fi
sed -i "s/^  tag: .*/  tag: ${tag}/" "$file"
echo "$file: image.tag=${tag}"
