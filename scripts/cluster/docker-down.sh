#!/usr/bin/env bash
# Stops the dockerd that docker-up.sh started (by its pid file); an engine started otherwise is
# left alone, and so is one with running containers (while an engine answers, test runs on this
# machine start their PostgreSQL in it through testcontainers: stopping it would kill them)
# unless --force.
set -euo pipefail
# shellcheck source=scripts/cluster/lib.sh
. "$(dirname "$0")/lib.sh"

PID_FILE="$CACHE/docker/dockerd.pid"
[ -f "$PID_FILE" ] || {
  log "no dockerd started by docker-up.sh"
  exit 0
}
pid=$(cat "$PID_FILE")
if [ "${1:-}" != --force ] && alive "$pid" && [ -n "$("$DOCKER" ps -q 2>/dev/null)" ]; then
  log "dockerd left running: containers are running in it (docker ps; --force stops it anyway)"
  exit 0
fi
if alive "$pid"; then
  kill "$pid"
  for _ in $(seq 1 60); do
    alive "$pid" || break
    sleep 0.5
  done
fi
rm -f "$PID_FILE"
log "dockerd stopped"
