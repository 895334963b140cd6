#!/usr/bin/env bash
# The Debian base every local image starts from, without a container registry:
# `debootstrap --variant=minbase bookworm` from the machine's Debian mirror, imported as
# lateral-local/debian:bookworm-minbase. The root filesystem tarball is cached in
# .cache/images/ (a new engine re-imports it in seconds). Idempotent: skips an existing image.
set -euo pipefail
# shellcheck source=scripts/cluster/lib.sh
. "$(dirname "$0")/lib.sh"

SUITE=bookworm
IMAGE="lateral-local/debian:$SUITE-minbase"
MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
TARBALL="$CACHE/images/debian-$SUITE-minbase.tar"

if image_exists "$IMAGE"; then
  log "$IMAGE exists"
  exit 0
fi
apt_ensure "debootstrap debootstrap"
mkdir -p "$CACHE/images"
exec 9>"$CACHE/images/.debian.lock"
flock 9

if [ ! -s "$TARBALL" ]; then
  start=$(now)
  rootfs=$(mktemp -d "$CACHE/images/rootfs.XXXXXX")
  trap 'rm -rf "$rootfs"' EXIT
  log "debootstrap --variant=minbase $SUITE (a few minutes)"
  nice -n 19 debootstrap --variant=minbase "$SUITE" "$rootfs" "$MIRROR" >"$CACHE/images/debootstrap.log" 2>&1 ||
    { tail -n 20 "$CACHE/images/debootstrap.log" >&2; die "debootstrap failed (log above)"; }
  # Security and point-release updates, as the official images have them.
  cat >"$rootfs/etc/apt/sources.list" <<LIST
deb $MIRROR $SUITE main
deb $MIRROR $SUITE-updates main
deb ${MIRROR%/debian}/debian-security $SUITE-security main
LIST
  # Small like the official -slim images: no apt lists, no caches, no docs.
  rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin "$rootfs"/var/cache/apt/archives/*.deb \
    "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/*
  cat >"$rootfs/etc/dpkg/dpkg.cfg.d/docker-slim" <<'CFG'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
CFG
  printf 'APT::Install-Recommends "false";\nAPT::Install-Suggests "false";\n' >"$rootfs/etc/apt/apt.conf.d/docker-no-recommends"
  tar -C "$rootfs" --numeric-owner -cf "$TARBALL.tmp" .
  mv "$TARBALL.tmp" "$TARBALL"
  log "debootstrap done in $(($(now) - start)) s"
fi
"$DOCKER" import --change 'CMD ["bash"]' "$TARBALL" "$IMAGE" >/dev/null
log "imported $IMAGE ($("$DOCKER" image inspect --format '{{.Size}}' "$IMAGE" | numfmt --to=si))"
