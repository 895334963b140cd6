#!/usr/bin/env bash
# The PostgreSQL image the test harness's testcontainers path asks for (TEST_POSTGRES_IMAGE in
# libs/testing/src/postgres-server.ts: postgres:15-bookworm), assembled without a registry:
# Debian bookworm (debian-image.sh) with Debian's postgresql-15 (pg_trgm and unaccent are in
# it) and an entrypoint with the official image's contract (postgres/docker-entrypoint.sh).
# Idempotent: skips an existing image.
set -euo pipefail
# shellcheck source=scripts/cluster/lib.sh
. "$(dirname "$0")/lib.sh"

IMAGE="${TEST_POSTGRES_IMAGE:-$(sed -n "s/^export const TEST_POSTGRES_IMAGE = '\(.*\)';/\1/p" "$ROOT/libs/testing/src/postgres-server.ts")}"
[ -n "$IMAGE" ] || die "cannot read TEST_POSTGRES_IMAGE from libs/testing/src/postgres-server.ts"
if image_exists "$IMAGE"; then
  log "$IMAGE exists"
  exit 0
fi
bash "$ROOT/scripts/cluster/debian-image.sh"
start=$(now)
CTX="$CACHE/images/postgres"
rm -rf "$CTX" && mkdir -p "$CTX"
cp "$ROOT/scripts/cluster/postgres/docker-entrypoint.sh" "$CTX/"
cat >"$CTX/Dockerfile" <<'DOCKERFILE'
FROM lateral-local/debian:bookworm-minbase
# No cluster from the package's postinst: the entrypoint runs initdb into PGDATA.
RUN mkdir -p /etc/postgresql-common/createcluster.d \
 && echo 'create_main_cluster = false' >/etc/postgresql-common/createcluster.d/no-main-cluster.conf \
 && apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql-15 >/dev/null \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin \
 && ls /usr/share/postgresql/15/extension/pg_trgm.control /usr/share/postgresql/15/extension/unaccent.control
ENV PATH=/usr/lib/postgresql/15/bin:$PATH \
    PGDATA=/var/lib/postgresql/data
COPY docker-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
LABEL org.opencontainers.image.description="Assembled locally by scripts/cluster/postgres-image.sh (Debian bookworm, postgresql-15)"
ENTRYPOINT ["docker-entrypoint.sh"]
STOPSIGNAL SIGINT
EXPOSE 5432
CMD ["postgres"]
DOCKERFILE
# --network host: apt reaches the mirror the way this machine does.
nice -n 19 "$DOCKER" build --quiet --network host --tag "$IMAGE" "$CTX" >/dev/null
log "built $IMAGE in $(($(now) - start)) s ($("$DOCKER" image inspect --format '{{.Size}}' "$IMAGE" | numfmt --to=si))"
