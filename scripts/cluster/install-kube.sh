#!/usr/bin/env bash
# Everything a one-node Kubernetes needs on this machine, without a container registry, cached by
# version and skipped when present:
# - Debian's etcd-server, containerd (1.6, CRI), runc, containernetworking-plugins, iptables,
#   conntrack, gcc (for the pause binary);
# - kube-apiserver, kubelet, kube-controller-manager, kube-scheduler, kube-proxy and kubectl
#   built from k8s.io/kubernetes@$KUBE_VERSION (scripts/kube/build-kube.sh: the Go module proxy,
#   version-stamped, nice 19) into .cache/kube/<version>/;
# - CoreDNS from the Go module proxy, only the plugins a cluster resolver needs, into
#   .cache/coredns/<version>/;
# - the pause binary from the kubernetes source's build/pause/linux/pause.c, with gcc.
set -euo pipefail
# shellcheck source=scripts/cluster/lib.sh
. "$(dirname "$0")/lib.sh"

KUBE_VERSION="${KUBE_VERSION:-v1.37.2}"
COREDNS_VERSION="${COREDNS_VERSION:-v1.14.7}"
export KUBE_VERSION

apt_ensure "etcd etcd-server" "containerd containerd" "ctr containerd" "runc runc" \
  "/usr/lib/cni/bridge containernetworking-plugins" "iptables iptables" "conntrack conntrack" \
  "gcc gcc" "/usr/lib/x86_64-linux-gnu/libc.a libc6-dev" "openssl openssl"

start=$(now)
bash "$ROOT/scripts/kube/build-kube.sh" kube-apiserver kubelet kube-controller-manager \
  kube-scheduler kube-proxy kubectl

# --- pause (the sandbox container's process): static, from the same kubernetes source
PAUSE="$CACHE/kube/$KUBE_VERSION/pause"
if [ ! -x "$PAUSE" ]; then
  src=$(go mod download -json "k8s.io/kubernetes@$KUBE_VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
  gcc -Os -Wall -Werror -static -DVERSION="$KUBE_VERSION-lateral" -o "$PAUSE.tmp" "$src/build/pause/linux/pause.c"
  mv "$PAUSE.tmp" "$PAUSE"
  log "built pause"
fi

# --- CoreDNS with the plugins a cluster resolver uses (the full build compiles ~60, cloud ones
# too), in the order of CoreDNS's own plugin chain; rebuilt when the list changes
COREDNS_PLUGINS=(reload bind ready health errors log loadbalance cache kubernetes forward)
COREDNS="$CACHE/coredns/$COREDNS_VERSION/coredns"
if [ ! -x "$COREDNS" ] || [ "$(cat "$COREDNS.plugins" 2>/dev/null)" != "${COREDNS_PLUGINS[*]}" ]; then
  mkdir -p "$CACHE/coredns/$COREDNS_VERSION"
  exec 9>"$CACHE/coredns/$COREDNS_VERSION/.lock"
  flock 9
  work="$CACHE/coredns/$COREDNS_VERSION/src"
  rm -rf "$work" && mkdir -p "$work"
  {
    echo '// A CoreDNS with the plugins of a cluster resolver (written by scripts/cluster/install-kube.sh).'
    echo 'package main'
    echo 'import ('
    echo '	"github.com/coredns/coredns/core/dnsserver"'
    echo '	"github.com/coredns/coredns/coremain"'
    for plugin in "${COREDNS_PLUGINS[@]}"; do echo "	_ \"github.com/coredns/coredns/plugin/$plugin\""; done
    echo ')'
    printf 'func init() { dnsserver.Directives = []string{'
    printf '"%s", ' "${COREDNS_PLUGINS[@]}"
    echo '} }'
    echo 'func main() { coremain.Run() }'
  } >"$work/main.go"
  log "building CoreDNS $COREDNS_VERSION (a few minutes; nice 19)"
  (
    cd "$work"
    go mod init lateral.local/coredns >/dev/null 2>&1
    go mod edit -require="github.com/coredns/coredns@$COREDNS_VERSION"
    GOFLAGS=-mod=mod go mod tidy >/dev/null 2>&1 || GOFLAGS=-mod=mod go mod tidy
    nice -n 19 env CGO_ENABLED=0 GOFLAGS=-buildvcs=false go build -trimpath -o "$COREDNS.tmp" .
  ) >&2
  mv "$COREDNS.tmp" "$COREDNS"
  echo "${COREDNS_PLUGINS[*]}" >"$COREDNS.plugins"
  rm -rf "$work"
fi
log "kubernetes $KUBE_VERSION binaries, pause and CoreDNS $COREDNS_VERSION ready ($(($(now) - start)) s)"
