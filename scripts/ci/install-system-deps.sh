#!/usr/bin/env bash
# Debian packages the test suites need, installed only when missing (CI machines start fresh).
# One "command package" pair per line; add a line when a suite needs another tool.
set -euo pipefail
DEPS=$(cat <<'LIST'
chromium chromium
heif-enc libheif-examples
etcd etcd-server
promtool prometheus
LIST
)
need=()
while read -r cmd pkg; do
  [ -n "${cmd:-}" ] || continue
  command -v "$cmd" >/dev/null 2>&1 || need+=("$pkg")
done <<<"$DEPS"
if [ "${#need[@]}" -gt 0 ]; then
  echo "installing Debian packages: ${need[*]}"
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}"
fi
