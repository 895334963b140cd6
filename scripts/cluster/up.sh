#!/usr/bin/env bash
# Brings up a one-node Kubernetes on this machine from binaries (install-kube.sh), on addresses
# it creates itself: the bridge `lateral0` holds the node's address 10.244.0.1 (the pods' gateway,
# pods in 10.244.0.0/24), Services in 10.96.0.0/16; the API server listens on the node address
# only. etcd, containerd (its own socket, /run/lateral-containerd), kubelet, controller manager,
# scheduler, kube-proxy (iptables) and CoreDNS (the cluster's resolver, on the node address) run
# as processes with logs and pid files under .cache/cluster/. Idempotent: a running component
# is left alone. Afterwards: `export KUBECONFIG=.cache/cluster/admin.kubeconfig`.
# Also loads the images a cluster needs into containerd (pause; the service images when given):
#   up.sh [<image>...]
set -euo pipefail
# shellcheck source=scripts/cluster/lib.sh
. "$(dirname "$0")/lib.sh"

KUBE_VERSION="${KUBE_VERSION:-v1.37.2}"
COREDNS_VERSION="${COREDNS_VERSION:-v1.14.7}"
BIN="$(readlink -f "$CACHE")/kube/$KUBE_VERSION"
COREDNS="$(readlink -f "$CACHE")/coredns/$COREDNS_VERSION/coredns"
STATE="$(readlink -f "$CACHE")/cluster"
RUN=/run/lateral-containerd
NODE_IP=10.244.0.1
POD_CIDR=10.244.0.0/24
SERVICE_CIDR=10.96.0.0/16
API_SERVICE_IP=10.96.0.1
NODE_NAME=lateral
ETCD_PORT=12379
PAUSE_IMAGE=registry.k8s.io/pause:3.10
export KUBECONFIG="$STATE/admin.kubeconfig"
KUBECTL="$BIN/kubectl"
CTR=(ctr --address "$RUN/containerd.sock" --namespace k8s.io)

start=$(now)
bash "$ROOT/scripts/cluster/install-kube.sh"
mkdir -p "$STATE"/{pki,logs,pids,etc/cni,bin,etcd,containerd,kubelet}

running() {
  local pid
  pid=$(cat "$STATE/pids/$1.pid" 2>/dev/null) || return 1
  alive "$pid"
}
# launch <name> <command>...: in its own session (it outlives this script), log and pid file
launch() {
  local name="$1"
  shift
  if running "$name"; then return 0; fi
  setsid "$@" >>"$STATE/logs/$name.log" 2>&1 </dev/null &
  echo $! >"$STATE/pids/$name.pid"
}
# config_file <path> < content: writes the file only when its content changes, whole (temp file +
# rename). A component that watches its file must not see a rerun of this script rewrite it:
# kube-proxy exits when its config file changes ("content of the proxy server's configuration file
# was updated"), and a `cat >` of the same content truncates it first, so a second up.sh (as
# argocd-up.sh runs) stopped the running kube-proxy just after `launch` had found it running,
# leaving no kube-proxy and new Services without rules. CONFIG_CHANGED says whether it wrote.
CONFIG_CHANGED=false
config_file() {
  local tmp
  tmp=$(mktemp "$1.XXXXXX")
  cat >"$tmp"
  if cmp -s "$tmp" "$1"; then
    rm -f "$tmp"
    CONFIG_CHANGED=false
  else
    mv -f "$tmp" "$1"
    CONFIG_CHANGED=true
  fi
}
wait_for() { # wait_for <what> <seconds> <command>...
  local what="$1" seconds="$2"
  shift 2
  for _ in $(seq 1 $((seconds * 2))); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.5
  done
  die "$what did not come up within $seconds s (logs: $STATE/logs/)"
}

# --- the node's address: a bridge we create (CNI's bridge plugin adds the pods to it)
if ! ip link show lateral0 >/dev/null 2>&1; then
  ip link add lateral0 type bridge
fi
ip addr show dev lateral0 | grep -q "inet $NODE_IP/" || ip addr add "$NODE_IP/24" dev lateral0
ip link set lateral0 up
sysctl -qw net.ipv4.ip_forward=1

# --- PKI: one CA; the API server's serving certificate; one admin client certificate that every
# component uses (system:masters); the service-account signing key
PKI="$STATE/pki"
if [ ! -f "$PKI/admin.crt" ]; then
  log "creating certificates"
  (
    cd "$PKI"
    openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 3650 \
      -subj "/CN=lateral-local-ca" 2>/dev/null
    openssl req -newkey rsa:2048 -nodes -keyout apiserver.key -out apiserver.csr \
      -subj "/CN=kube-apiserver" 2>/dev/null
    printf 'subjectAltName=IP:%s,IP:%s,IP:127.0.0.1,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local\nextendedKeyUsage=serverAuth\n' \
      "$NODE_IP" "$API_SERVICE_IP" >apiserver.ext
    openssl x509 -req -in apiserver.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 3650 \
      -extfile apiserver.ext -out apiserver.crt 2>/dev/null
    openssl req -newkey rsa:2048 -nodes -keyout admin.key -out admin.csr \
      -subj "/O=system:masters/CN=lateral-admin" 2>/dev/null
    printf 'extendedKeyUsage=clientAuth\n' >admin.ext
    openssl x509 -req -in admin.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 3650 \
      -extfile admin.ext -out admin.crt 2>/dev/null
    openssl genrsa -out sa.key 2048 2>/dev/null
    openssl rsa -in sa.key -pubout -out sa.pub 2>/dev/null
    rm -f ./*.csr ./*.ext
  )
fi
config_file "$KUBECONFIG" <<YAML
apiVersion: v1
kind: Config
clusters:
  - name: lateral
    cluster: { server: "https://$NODE_IP:6443", certificate-authority: "$PKI/ca.crt" }
users:
  - name: admin
    user: { client-certificate: "$PKI/admin.crt", client-key: "$PKI/admin.key" }
contexts:
  - name: lateral
    context: { cluster: lateral, user: admin }
current-context: lateral
YAML

# --- etcd
launch etcd etcd --name lateral --data-dir "$STATE/etcd" \
  --listen-client-urls "http://127.0.0.1:$ETCD_PORT" --advertise-client-urls "http://127.0.0.1:$ETCD_PORT" \
  --listen-peer-urls http://127.0.0.1:12380 --initial-advertise-peer-urls http://127.0.0.1:12380 \
  --initial-cluster lateral=http://127.0.0.1:12380 --listen-metrics-urls http://127.0.0.1:12381 \
  --quota-backend-bytes 2147483648

# --- API server
launch kube-apiserver "$BIN/kube-apiserver" \
  --etcd-servers "http://127.0.0.1:$ETCD_PORT" \
  --bind-address "$NODE_IP" --advertise-address "$NODE_IP" --secure-port 6443 \
  --service-cluster-ip-range "$SERVICE_CIDR" \
  --tls-cert-file "$PKI/apiserver.crt" --tls-private-key-file "$PKI/apiserver.key" \
  --client-ca-file "$PKI/ca.crt" \
  --kubelet-client-certificate "$PKI/admin.crt" --kubelet-client-key "$PKI/admin.key" \
  --kubelet-preferred-address-types InternalIP \
  --service-account-key-file "$PKI/sa.pub" --service-account-signing-key-file "$PKI/sa.key" \
  --service-account-issuer https://kubernetes.default.svc.cluster.local \
  --authorization-mode Node,RBAC --allow-privileged=true \
  --profiling=false
wait_for kube-apiserver 90 "$KUBECTL" get --raw /readyz

# --- containerd with CRI, its own socket and state; runc through the oom_score_adj wrapper
# Root here lacks CAP_SYS_RESOURCE, so runc fails a container whose oom_score_adj is negative
# (the kubelet gives sandboxes -998, guaranteed pods -997): clamp a negative value to 0.
config_file "$STATE/bin/runc" <<'SH'
#!/bin/sh
# runc, with a negative oomScoreAdj in the bundle's config.json clamped to 0 (no CAP_SYS_RESOURCE).
bundle=""
prev=""
for arg in "$@"; do
  case "$prev" in --bundle | -b) bundle="$arg" ;; esac
  case "$arg" in --bundle=*) bundle="${arg#--bundle=}" ;; esac
  prev="$arg"
done
if [ -n "$bundle" ] && [ -f "$bundle/config.json" ]; then
  sed -i 's/"oomScoreAdj":-[0-9]*/"oomScoreAdj":0/' "$bundle/config.json"
fi
exec /usr/sbin/runc "$@"
SH
chmod +x "$STATE/bin/runc"
config_file "$STATE/etc/containerd.toml" <<TOML
version = 2
root = "$STATE/containerd"
state = "$RUN/state"
[grpc]
  address = "$RUN/containerd.sock"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "$PAUSE_IMAGE"
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        BinaryName = "$STATE/bin/runc"
        SystemdCgroup = false
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "$STATE/etc/cni"
TOML
config_file "$STATE/etc/cni/10-lateral.conflist" <<JSON
{
  "cniVersion": "0.4.0",
  "name": "lateral",
  "plugins": [
    {
      "type": "bridge",
      "bridge": "lateral0",
      "isGateway": true,
      "ipMasq": true,
      "hairpinMode": true,
      "ipam": {
        "type": "host-local",
        "ranges": [[{ "subnet": "$POD_CIDR", "gateway": "$NODE_IP" }]],
        "routes": [{ "dst": "0.0.0.0/0" }],
        "dataDir": "$STATE/cni-ipam"
      }
    },
    { "type": "portmap", "capabilities": { "portMappings": true } }
  ]
}
JSON
mkdir -p "$RUN"
launch containerd containerd --config "$STATE/etc/containerd.toml"
wait_for containerd 30 "${CTR[@]}" version

# --- images the node needs before any pod: pause (FROM scratch, imported as an OCI archive)
if ! "${CTR[@]}" images ls -q | grep -qx "$PAUSE_IMAGE"; then
  log "importing $PAUSE_IMAGE (pause built from the kubernetes source)"
  oci=$(mktemp -d)
  python3 - "$BIN/pause" "$oci" "$PAUSE_IMAGE" <<'PY'
import gzip, hashlib, io, json, os, sys, tarfile
binary, out, ref = sys.argv[1:4]
def blob(data):
    digest = hashlib.sha256(data).hexdigest()
    os.makedirs(f"{out}/blobs/sha256", exist_ok=True)
    with open(f"{out}/blobs/sha256/{digest}", "wb") as f:
        f.write(data)
    return {"digest": f"sha256:{digest}", "size": len(data)}
raw = io.BytesIO()
with tarfile.open(fileobj=raw, mode="w") as tar:
    info = tar.gettarinfo(binary, arcname="pause")
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    info.mode = 0o755
    with open(binary, "rb") as f:
        tar.addfile(info, f)
layer_tar = raw.getvalue()
layer = blob(gzip.compress(layer_tar, mtime=0))
config = blob(json.dumps({
    "architecture": "amd64", "os": "linux",
    "config": {"Entrypoint": ["/pause"], "User": "65535:65535"},
    "rootfs": {"type": "layers", "diff_ids": ["sha256:" + hashlib.sha256(layer_tar).hexdigest()]},
}).encode())
manifest = blob(json.dumps({
    "schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
    "config": {"mediaType": "application/vnd.oci.image.config.v1+json", **config},
    "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", **layer}],
}).encode())
with open(f"{out}/index.json", "w") as f:
    json.dump({"schemaVersion": 2, "manifests": [{
        "mediaType": "application/vnd.oci.image.manifest.v1+json", **manifest,
        "annotations": {"org.opencontainers.image.ref.name": ref, "io.containerd.image.name": ref},
    }]}, f)
with open(f"{out}/oci-layout", "w") as f:
    json.dump({"imageLayoutVersion": "1.0.0"}, f)
PY
  tar -C "$oci" -cf "$oci.tar" .
  "${CTR[@]}" images import --index-name "$PAUSE_IMAGE" "$oci.tar" >/dev/null
  rm -rf "$oci" "$oci.tar"
fi

# --- kubelet (cgroup v1 here: failCgroupV1 false; cgroupfs like the engine)
config_file "$STATE/etc/kubelet.yaml" <<YAML
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
failCgroupV1: false
cgroupDriver: cgroupfs
containerRuntimeEndpoint: unix://$RUN/containerd.sock
address: $NODE_IP
healthzBindAddress: 127.0.0.1
healthzPort: 10248
readOnlyPort: 0
authentication:
  anonymous: { enabled: false }
  webhook: { enabled: false }
  x509: { clientCAFile: "$PKI/ca.crt" }
authorization: { mode: AlwaysAllow }
clusterDNS: [$NODE_IP]
clusterDomain: cluster.local
failSwapOn: false
evictionHard: { memory.available: 200Mi, nodefs.available: 2%, imagefs.available: 2% }
imageGCHighThresholdPercent: 95
imageGCLowThresholdPercent: 90
maxPods: 60
YAML
# containerd's CRI plugin finishes starting after its socket answers; a kubelet started before
# that exits at once ("server is not initialized yet", seen on a loaded machine), so it is started
# again until its health endpoint answers. (A node left Ready in etcd by an earlier run would
# otherwise make the Ready wait below pass with no kubelet at all.)
for attempt in $(seq 1 30); do
  launch kubelet "$BIN/kubelet" --config "$STATE/etc/kubelet.yaml" --kubeconfig "$KUBECONFIG" \
    --root-dir "$STATE/kubelet" --hostname-override "$NODE_NAME" --node-ip "$NODE_IP"
  for _ in 1 2 3 4; do
    curl -fsS http://127.0.0.1:10248/healthz >/dev/null 2>&1 && break 2
    running kubelet || break
    sleep 0.5
  done
  running kubelet || log "kubelet exited (attempt $attempt; containerd's CRI still starting?): again"
  sleep 1
done
wait_for kubelet 60 curl -fsS http://127.0.0.1:10248/healthz

# --- controller manager and scheduler
launch kube-controller-manager "$BIN/kube-controller-manager" --kubeconfig "$KUBECONFIG" \
  --authentication-kubeconfig "$KUBECONFIG" --authorization-kubeconfig "$KUBECONFIG" \
  --bind-address 127.0.0.1 --secure-port 10257 \
  --service-account-private-key-file "$PKI/sa.key" --root-ca-file "$PKI/ca.crt" \
  --cluster-signing-cert-file "$PKI/ca.crt" --cluster-signing-key-file "$PKI/ca.key" \
  --use-service-account-credentials --service-cluster-ip-range "$SERVICE_CIDR" \
  --leader-elect=false --profiling=false
launch kube-scheduler "$BIN/kube-scheduler" --kubeconfig "$KUBECONFIG" \
  --authentication-kubeconfig "$KUBECONFIG" --authorization-kubeconfig "$KUBECONFIG" \
  --bind-address 127.0.0.1 --secure-port 10259 --leader-elect=false --profiling=false

# --- kube-proxy (iptables; no conntrack sysctls: not ours to change here)
config_file "$STATE/etc/kube-proxy.yaml" <<YAML
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
clientConnection: { kubeconfig: "$KUBECONFIG" }
hostnameOverride: $NODE_NAME
mode: iptables
clusterCIDR: $POD_CIDR
bindAddress: $NODE_IP
healthzBindAddress: 127.0.0.1:10256
metricsBindAddress: 127.0.0.1:10249
conntrack: { maxPerCore: 0, tcpEstablishedTimeout: 0s, tcpCloseWaitTimeout: 0s }
iptables: { masqueradeAll: true }
YAML
# A changed config while it runs: it is exiting; let it finish, so `launch` starts a new one.
if [ "$CONFIG_CHANGED" = true ] && running kube-proxy; then
  wait_for "the old kube-proxy to exit" 20 sh -c "! kill -0 $(cat "$STATE/pids/kube-proxy.pid")"
fi
launch kube-proxy "$BIN/kube-proxy" --config "$STATE/etc/kube-proxy.yaml"
# Its health endpoint answers 200 once it has written the Services' rules (and keeps doing so):
# a kube-proxy that is not running fails here, not as an unrouted ClusterIP later.
wait_for "kube-proxy's first sync" 60 curl -fsS http://127.0.0.1:10256/healthz

# --- CoreDNS on the node address, answering cluster.local from the API server; other names are
# not forwarded (nothing in the cluster needs the outside)
config_file "$STATE/etc/Corefile" <<COREFILE
.:53 {
    bind $NODE_IP
    errors
    health 127.0.0.1:18080
    ready 127.0.0.1:18181
    kubernetes cluster.local in-addr.arpa ip6.arpa {
        kubeconfig $KUBECONFIG lateral
        pods insecure
        fallthrough in-addr.arpa ip6.arpa
    }
    cache 30
    loadbalance
}
COREFILE
launch coredns "$COREDNS" -conf "$STATE/etc/Corefile"

wait_for "node $NODE_NAME Ready" 120 sh -c \
  "'$KUBECTL' get node $NODE_NAME -o jsonpath='{.status.conditions[?(@.type==\"Ready\")].status}' | grep -qx True"
# One A query for kubernetes.default.svc.cluster.local to the node address (no dig here).
dns_answers() {
  python3 - "$NODE_IP" <<'PY2'
import socket, struct, sys
name = b"".join(bytes([len(p)]) + p.encode() for p in "kubernetes.default.svc.cluster.local".split(".")) + b"\0"
query = struct.pack(">HHHHHH", 0x1234, 0x0100, 1, 0, 0, 0) + name + struct.pack(">HH", 1, 1)
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(1)
s.sendto(query, (sys.argv[1], 53))
reply = s.recv(512)
sys.exit(0 if reply[3] & 15 == 0 and struct.unpack(">H", reply[6:8])[0] > 0 else 1)
PY2
}
wait_for "CoreDNS" 30 dns_answers

# --- images given on the command line (docker save | ctr import)
for image in "$@"; do
  # containerd names images in full: docker.io/library/postgres:15-bookworm
  full="$image"
  [[ "${full%%/*}" == *.* ]] || full="docker.io/$full"
  [[ "$full" == docker.io/*/* ]] || full="${full/docker.io\//docker.io/library/}"
  if ! "${CTR[@]}" images ls -q | grep -qxF "$full"; then
    log "loading $image into containerd"
    "$DOCKER" save "$image" | "${CTR[@]}" images import --digests - >/dev/null
  fi
done

log "cluster up in $(($(now) - start)) s: export KUBECONFIG=$KUBECONFIG"
