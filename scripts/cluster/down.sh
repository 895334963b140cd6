#!/usr/bin/env bash
# Takes down what up.sh brought up: the pods' containers (through containerd, so their mounts
# and network namespaces go too), the components by their pid files, the kubelet's mounts,
# kube-proxy's and CNI's iptables rules, the bridge lateral0. Keeps the cached binaries, the
# certificates and containerd's images (a next up.sh is quick); `down.sh --reset` deletes the
# cluster's objects (etcd data, the kubelet's pods) but keeps the images, so the next up.sh
# starts an empty cluster quickly; `down.sh --purge` deletes the images too.
set -euo pipefail
# shellcheck source=scripts/cluster/lib.sh
. "$(dirname "$0")/lib.sh"

KUBE_VERSION="${KUBE_VERSION:-v1.37.2}"
BIN="$(readlink -f "$CACHE")/kube/$KUBE_VERSION"
STATE="$(readlink -f "$CACHE")/cluster"
RUN=/run/lateral-containerd
CTR=(ctr --address "$RUN/containerd.sock" --namespace k8s.io)

stop() { # stop <name>: SIGTERM, then SIGKILL after 20 s
  local pid_file="$STATE/pids/$1.pid" pid
  [ -f "$pid_file" ] || return 0
  pid=$(cat "$pid_file")
  if alive "$pid"; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 40); do
      alive "$pid" || break
      sleep 0.5
    done
    if alive "$pid"; then kill -9 "$pid" 2>/dev/null || true; fi
  fi
  rm -f "$pid_file"
}

# The kubelet first, so it restarts nothing; then every pod container, through containerd.
stop kubelet
if "${CTR[@]}" version >/dev/null 2>&1; then
  for task in $("${CTR[@]}" tasks ls -q 2>/dev/null); do
    "${CTR[@]}" tasks kill --signal SIGKILL "$task" >/dev/null 2>&1 || true
  done
  sleep 1
  for task in $("${CTR[@]}" tasks ls -q 2>/dev/null); do
    "${CTR[@]}" tasks delete --force "$task" >/dev/null 2>&1 || true
  done
  for container in $("${CTR[@]}" containers ls -q 2>/dev/null); do
    "${CTR[@]}" containers delete "$container" >/dev/null 2>&1 || true
  done
fi
for name in argocd-application-controller argocd-repo-server argocd-redis coredns kube-proxy kube-scheduler kube-controller-manager containerd kube-apiserver etcd; do
  stop "$name"
done
# Leftovers of killed shims (normally none after the above).
pkill_shims() {
  local pid
  for pid in $(pgrep -f "containerd-shim-runc-v2 -namespace k8s.io -address $RUN/containerd.sock" || true); do
    kill -9 "$pid" 2>/dev/null || true
  done
}
pkill_shims

# Mounts under the kubelet's and containerd's directories (secrets, emptyDirs, rootfs), deepest first.
for dir in "$STATE/kubelet" "$RUN" "$STATE/containerd"; do
  awk -v d="$dir" '$2 ~ "^"d {print $2}' /proc/mounts | sort -r | while read -r mount; do
    umount -l "$mount" 2>/dev/null || true
  done
done
# Pod network namespaces containerd left (cni-<uuid> under /var/run/netns).
for ns in $(ip netns list 2>/dev/null | awk '/^cni-/ {print $1}'); do
  ip netns delete "$ns" 2>/dev/null || true
done
# kube-proxy's rules, then the kubelet's (KUBE-FIREWALL, canaries) and the CNI plugins' (bridge
# masquerade, portmap) chains.
if [ -x "$BIN/kube-proxy" ]; then "$BIN/kube-proxy" --cleanup >/dev/null 2>&1 || true; fi
for table in nat filter mangle; do
  iptables -t "$table" -S 2>/dev/null | awk '/^-A .*(KUBE-|CNI-)/' | while read -r rule; do
    # iptables -S quotes its output for a shell (comments hold spaces and quotes)
    eval "iptables -t $table ${rule/-A/-D}" 2>/dev/null || true
  done
  iptables -t "$table" -S 2>/dev/null | awk '/^-N (KUBE-|CNI-)/ {print $2}' | while read -r chain; do
    iptables -t "$table" -F "$chain" 2>/dev/null || true
    iptables -t "$table" -X "$chain" 2>/dev/null || true
  done
done
ip link show lateral0 >/dev/null 2>&1 && ip link delete lateral0
rm -rf "$STATE/cni-ipam" "$RUN"
if [ "${1:-}" = --purge ]; then
  rm -rf "$STATE/etcd" "$STATE/containerd" "$STATE/kubelet" "$STATE/git"
  log "cluster down, state purged"
elif [ "${1:-}" = --reset ]; then
  rm -rf "$STATE/etcd" "$STATE/kubelet" "$STATE/git"
  log "cluster down, objects deleted (images kept)"
else
  log "cluster down"
fi
