#!/usr/bin/env bash
# Starts a Docker engine when none answers: Debian's docker.io (installed when missing), run by
# hand (no systemd here) with the cgroupfs driver, its log and pid file under .cache/docker/.
# Idempotent: an engine that already answers on $DOCKER_HOST is used as it is.
set -euo pipefail
# shellcheck source=scripts/cluster/lib.sh
. "$(dirname "$0")/lib.sh"

apt_ensure "/usr/bin/docker docker.io" "/usr/sbin/dockerd docker.io"
if docker_answers; then
  log "docker engine answers on $DOCKER_HOST"
  exit 0
fi

STATE="$CACHE/docker"
mkdir -p "$STATE"
PID_FILE="$STATE/dockerd.pid"
if [ -f "$PID_FILE" ] && alive "$(cat "$PID_FILE")"; then
  log "dockerd $(cat "$PID_FILE") is starting"
else
  rm -f "$PID_FILE"
  log "starting dockerd (log: $STATE/dockerd.log)"
  # setsid: the engine outlives this script and the shell that ran it.
  setsid /usr/sbin/dockerd \
    --exec-opt native.cgroupdriver=cgroupfs \
    --pidfile "$PID_FILE" \
    --host "$DOCKER_HOST" \
    >>"$STATE/dockerd.log" 2>&1 </dev/null &
fi
for _ in $(seq 1 60); do
  if docker_answers; then
    log "docker engine up: $("$DOCKER" version --format '{{.Server.Version}}')"
    exit 0
  fi
  sleep 0.5
done
tail -n 30 "$STATE/dockerd.log" >&2
die "dockerd did not answer within 30 s (log above)"
