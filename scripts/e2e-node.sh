#!/usr/bin/env bash
# A real single-node Kubernetes on this machine, for the real-node test tier (RealNode*IT):
# containerd + runc + bridge CNI from the distribution's packages; etcd, kube-apiserver,
# kube-controller-manager, kube-scheduler, kubelet and kube-proxy built from the Go module proxy
# (test-env/kube, cached beside the control-plane binaries); images made locally without a registry.
#
#   scripts/e2e-node.sh up      install, build, make the images, start the node (idempotent: a rerun
#                               after a crash first removes what the last run left)
#   scripts/e2e-node.sh down    stop and remove everything "up" made; restore the kernel settings
#   scripts/e2e-node.sh check   fail unless the network confinement of the pods is in place
#   scripts/e2e-node.sh env     print the variables the tests need (KUBECONFIG, ...)
#
# Needs root on Linux (it adds a bridge, a route, iptables rules and changes net.ipv4.ip_forward) and
# apt-get for the packages. Network confinement: the node's address is on an empty bridge, pods live on
# that bridge only, a forward rule drops every packet from the bridge towards any other interface, the
# service range is routed to the bridge, and pods get no DNS server. "up" checks all of it before the
# kubelet starts; the tests check it again before they start a Pod.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="${BRO_TEST_ENV_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/backup-restore-operator/test-env}"
# Everything the running node has: state, logs, PIDs, PKI, kubeconfigs, the hostPath volume's directory.
S="${BRO_E2E_NODE_DIR:-/var/lib/backup-restore-operator-e2e}"
# Runtime state that must be on a short path (containerd's sockets).
R=/run/bro-e2e
K8S_VERSION="$(awk '$1=="require" && $2=="k8s.io/kubernetes" {sub(/^v/,"",$3); print $3}' "$ROOT/test-env/kube/go.mod")"
BIN="$CACHE/k8s/${K8S_VERSION}-linux-amd64"
IMAGE_CACHE="$CACHE/e2e-node/images"
BUILDAH_ROOT="$CACHE/e2e-node/buildah"
# Bump a recipe number when the way the binaries or base images are made changes, so caches are rebuilt.
NODE_STAMP="$K8S_VERSION node recipe 1"
BASE_IMAGES_STAMP="base images recipe 1"

BRIDGE=bro-e2e0
NODE_IP=10.88.0.1
POD_CIDR=10.88.0.0/16
SVC_CIDR=10.96.0.0/24
NODE_NAME="$(hostname)"
# Ports below the kernel's ephemeral range, so they cannot collide with the other tests' random ports.
ETCD_PORT=12379
ETCD_PEER_PORT=12380
PACKAGES=(containerd runc containernetworking-plugins iptables conntrack debootstrap buildah gcc libc6-dev
  openssl curl)
PAUSE_IMAGE=localhost/pause:3.10
JRE_IMAGE=localhost/debian-jre17:bookworm
OPERATOR_IMAGE=localhost/backup-restore-operator
OPERATOR_TAGS=(e2e e2e-next)
# The forward rule: in the mangle table, which runs before the filter table where kube-proxy and the
# kubelet insert their ACCEPT rules, so nothing they add can let a pod's packet out.
SHARED_PATHS=(/run/containerd /var/lib/cni /run/netns)
# The guard is set for IPv6 too, unless the kernel has no IPv6 at all.
IPTABLES=(iptables)
[[ -e /proc/net/if_inet6 ]] && IPTABLES+=(ip6tables)
GUARD_RULE=(FORWARD -i "$BRIDGE" ! -o "$BRIDGE" -m comment --comment bro-e2e-guard -j DROP)

t0=$SECONDS
phase_start=$SECONDS
log() { echo "e2e-node [$((SECONDS - t0))s] $*" >&2; }
phase() { # name: ends the previous phase (with its time) and starts the next
  log "phase ${1}: start"
  phase_start=$SECONDS
}
phase_done() { log "phase ${1}: done in $((SECONDS - phase_start))s"; }
die() { echo "e2e-node: ERROR: $*" >&2; exit 1; }

# "down" removes $S whole: refuse anything but a dedicated absolute directory.
[[ "$S" == /*/* && "$(basename "$S")" == *e2e* ]] ||
  { echo "e2e-node: BRO_E2E_NODE_DIR must be an absolute path whose last part contains 'e2e': $S" >&2; exit 2; }

require_root_linux() {
  [[ "$(uname -s)" == Linux ]] || die "the real-node tier needs Linux (this is $(uname -s))"
  [[ "$(id -u)" == 0 ]] || die "the real-node tier needs root: it adds a bridge, a route and iptables rules"
}

# --- packages ------------------------------------------------------------------------------------------
install_packages() {
  local missing=() p
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  if ((${#missing[@]} == 0)); then
    log "packages already installed: ${PACKAGES[*]}"
    return
  fi
  command -v apt-get >/dev/null || die "apt-get is needed to install ${missing[*]}"
  log "installing ${missing[*]}"
  # Debian's postinst scripts may try to start containerd: nothing here runs under an init system.
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# --- Kubernetes binaries, built like scripts/control-plane.sh builds kube-apiserver ---------------------
build_binaries() {
  BRO_CONTROL_PLANE_BIN="$("$ROOT/scripts/control-plane.sh")"
  [[ "$BRO_CONTROL_PLANE_BIN" == "$BIN" ]] || die "control-plane.sh built into $BRO_CONTROL_PLANE_BIN, expected $BIN"
  BRO_HELM_BIN="$("$ROOT/scripts/helm.sh")"
  local b ok=1
  for b in kubelet kube-controller-manager kube-scheduler kube-proxy; do [[ -x "$BIN/$b" ]] || ok=0; done
  if ((ok)) && [[ "$(cat "$BIN/.node-version" 2>/dev/null)" == "$NODE_STAMP" ]]; then
    log "kubelet, kube-controller-manager, kube-scheduler, kube-proxy $K8S_VERSION cached in $BIN"
    return
  fi
  log "building kubelet, kube-controller-manager, kube-scheduler, kube-proxy $K8S_VERSION (first time only)"
  local flags="" pkg minor="${K8S_VERSION#*.}"
  minor="${minor%%.*}"
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    flags+=" -X $pkg.gitVersion=v$K8S_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor"
    flags+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=1970-01-01T00:00:00Z"
  done
  (
    cd "$ROOT/test-env/kube"
    export GOFLAGS="-mod=readonly -trimpath" GOSUMDB=off CGO_ENABLED=0
    go build -ldflags "$flags" -o "$BIN/" k8s.io/kubernetes/cmd/kubelet \
      k8s.io/kubernetes/cmd/kube-controller-manager k8s.io/kubernetes/cmd/kube-scheduler \
      k8s.io/kubernetes/cmd/kube-proxy
  )
  echo "$NODE_STAMP" >"$BIN/.node-version"
}

# --- images, without a registry ------------------------------------------------------------------------
bah() { buildah --root "$BUILDAH_ROOT" --runroot "$R/buildah" --storage-driver overlay "$@"; }

# The Debian mirror of this machine's own apt configuration (deb822 .sources or one-line sources.list).
debian_mirror() {
  local codename uri
  codename="$(. /etc/os-release && echo "${VERSION_CODENAME:-}")"
  uri="$(
    {
      cat /etc/apt/sources.list.d/*.sources 2>/dev/null | awk -v want="$codename" '
        /^[[:space:]]*#/ {next}
        /^[[:space:]]*$/ {if (uri != "" && ok && types) {print uri; exit} uri=""; ok=0; types=0; next}
        $1=="Types:" {for (i=2;i<=NF;i++) if ($i=="deb") types=1}
        $1=="URIs:" {uri=$2}
        $1=="Suites:" {for (i=2;i<=NF;i++) if ($i==want) ok=1}
        END {if (uri != "" && ok && types) print uri}'
      cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null | awk -v want="$codename" '
        $1=="deb" {u=""; for (i=2;i<=NF;i++) if ($i !~ /^\[/ && $i !~ /\]$/ && u=="") {u=$i; s=$(i+1)}
                   if (s==want) print u}'
    } | head -1
  )"
  [[ -n "$uri" ]] || die "no Debian mirror for '$codename' in this machine's apt sources"
  echo "$uri"
}

make_pause_image() {
  local w="$1"
  cat >"$w/pause.c" <<'EOF'
/* The pod sandbox's init: exits on SIGINT/SIGTERM, reaps children, otherwise sleeps. */
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>
static void down(int signo) { (void)signo; exit(0); }
static void reap(int signo) { (void)signo; while (waitpid(-1, NULL, WNOHANG) > 0) {} }
int main(void) {
  struct sigaction d = {.sa_handler = down}, r = {.sa_handler = reap, .sa_flags = SA_NOCLDSTOP};
  sigaction(SIGINT, &d, NULL); sigaction(SIGTERM, &d, NULL); sigaction(SIGCHLD, &r, NULL);
  for (;;) pause();
}
EOF
  gcc -static -Os -s -o "$w/pause" "$w/pause.c"
  local c
  c="$(bah from scratch)"
  bah copy "$c" "$w/pause" /pause >/dev/null
  bah config --entrypoint '["/pause"]' --user 65535:65535 "$c"
  bah commit -q "$c" "$PAUSE_IMAGE" >/dev/null
  bah rm "$c" >/dev/null
}

make_jre_image() { # a minimal Debian with the distribution's JRE 17, as the operator image's base
  local w="$1" r="$1/rootfs" mirror proxy
  mirror="$(debian_mirror)"
  proxy="$(apt-config dump 2>/dev/null | awk -F'"' '$1 ~ /^Acquire::http::Proxy / {print $2; exit}')"
  rm -rf "$r"
  log "debootstrap of a minimal $(. /etc/os-release && echo "$VERSION_CODENAME") with openjdk-17-jre-headless"
  if ! env ${proxy:+http_proxy=$proxy} debootstrap --variant=minbase --include=openjdk-17-jre-headless \
    "$(. /etc/os-release && echo "$VERSION_CODENAME")" "$r" "$mirror" >"$w/debootstrap.log" 2>&1; then
    tail -20 "$w/debootstrap.log" >&2
    die "debootstrap failed (log: $w/debootstrap.log)"
  fi
  rm -rf "$r"/var/cache/apt/archives/*.deb "$r"/var/lib/apt/lists/*
  tar --numeric-owner -C "$r" -cf "$w/rootfs.tar" .
  rm -rf "$r"
  local c
  c="$(bah from scratch)"
  bah add "$c" "$w/rootfs.tar" / >/dev/null
  bah config --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    --env JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64 --env LANG=C.UTF-8 --cmd '["/bin/bash"]' "$c"
  bah commit -q "$c" "$JRE_IMAGE" >/dev/null
  bah rm "$c" >/dev/null
  rm -f "$w/rootfs.tar"
}

make_base_images() {
  mkdir -p "$IMAGE_CACHE" "$BUILDAH_ROOT" "$R/buildah"
  if [[ "$(cat "$IMAGE_CACHE/.stamp" 2>/dev/null)" == "$BASE_IMAGES_STAMP" && -f "$IMAGE_CACHE/pause.tar" &&
    -f "$IMAGE_CACHE/debian-jre17.tar" ]]; then
    log "pause and JRE images cached in $IMAGE_CACHE"
  else
    local w
    w="$(mktemp -d "$CACHE/e2e-node/work.XXXXXX")"
    make_pause_image "$w"
    make_jre_image "$w"
    rm -f "$IMAGE_CACHE/pause.tar" "$IMAGE_CACHE/debian-jre17.tar"
    bah push -q "$PAUSE_IMAGE" "oci-archive:$IMAGE_CACHE/pause.tar:$PAUSE_IMAGE" >/dev/null
    bah push -q "$JRE_IMAGE" "oci-archive:$IMAGE_CACHE/debian-jre17.tar:$JRE_IMAGE" >/dev/null
    echo "$BASE_IMAGES_STAMP" >"$IMAGE_CACHE/.stamp"
    rm -rf "$w"
  fi
  # The operator build needs the JRE image in buildah's storage (it may have been cleared).
  bah inspect --type image "$JRE_IMAGE" >/dev/null 2>&1 ||
    bah pull -q "oci-archive:$IMAGE_CACHE/debian-jre17.tar" >/dev/null
}

# The operator image from the project's Dockerfile, target "prebuilt": the jar built on the host, so the
# container build needs no network; the base image is given as a build argument.
make_operator_image() {
  local jar="$ROOT/target/backup-restore-operator.jar"
  if [[ ! -f "$jar" || ! -d "$ROOT/target/lib" ]]; then
    log "no $jar yet: building it (./mvnw package -DskipTests)"
    (cd "$ROOT" && ./mvnw -B -ntp -q -DskipTests package) >&2
  fi
  local ctx="$S/image-context"
  rm -rf "$ctx" && mkdir -p "$ctx/target"
  cp -a "$ROOT/Dockerfile" "$ROOT/LICENSE" "$ctx/"
  # What the runtime stage copies besides the jar (the kubectl-bro launcher).
  if [[ -d "$ROOT/bin" ]]; then cp -a "$ROOT/bin" "$ctx/"; fi
  cp -a "$jar" "$ROOT/target/lib" "$ctx/target/"
  # etcdutl for etcd-restore, prebuilt on the host as well (Go build cache: seconds after the first time).
  if [[ ! -x "$ROOT/target/image/linux-amd64/etcdutl" ]]; then
    "$ROOT/scripts/etcdutl-for-image.sh" amd64 >&2
  fi
  mkdir -p "$ctx/target/image" && cp -a "$ROOT/target/image/linux-amd64" "$ctx/target/image/"
  # --ulimit: without CAP_SYS_RESOURCE the build container cannot raise its limits to buildah's defaults.
  bah bud -q --pull=never --network none --target prebuilt \
    --ulimit nofile=1024:4096 --ulimit nproc=4096:8192 \
    --build-arg RUNTIME_IMAGE="$JRE_IMAGE" --build-arg TARGETARCH=amd64 \
    -t "$OPERATOR_IMAGE:${OPERATOR_TAGS[0]}" -f "$ctx/Dockerfile" "$ctx" >"$S/logs/image-build.log" 2>&1 ||
    { tail -30 "$S/logs/image-build.log" >&2; die "the operator image build failed"; }
  local tag
  for tag in "${OPERATOR_TAGS[@]:1}"; do bah tag "$OPERATOR_IMAGE:${OPERATOR_TAGS[0]}" "$OPERATOR_IMAGE:$tag"; done
  rm -f "$S/operator.tar"
  bah push -q "$OPERATOR_IMAGE:${OPERATOR_TAGS[0]}" "oci-archive:$S/operator.tar:$OPERATOR_IMAGE:${OPERATOR_TAGS[0]}" >/dev/null
  rm -rf "$ctx"
}

# --- kernel settings: record the original value once, restore it in "down" -----------------------------
set_sysctl() { # key value
  local key="$1" value="$2" file="/proc/sys/${1//.//}"
  [[ -f "$file" ]] || die "kernel setting $key is missing (is the bridge netfilter built in?)"
  grep -q "^$key=" "$S/sysctl.orig" 2>/dev/null || echo "$key=$(cat "$file")" >>"$S/sysctl.orig"
  echo "$value" >"$file"
}
restore_sysctls() {
  [[ -f "$S/sysctl.orig" ]] || return 0
  local line key failed=0
  while IFS= read -r line; do
    key="${line%%=*}"
    if echo "${line#*=}" >"/proc/sys/${key//.//}"; then
      log "restored $key=${line#*=}"
    else
      failed=1
    fi
  done <"$S/sysctl.orig"
  ((failed == 0)) || die "could not restore the kernel settings in $S/sysctl.orig"
  rm -f "$S/sysctl.orig"
}

# --- network --------------------------------------------------------------------------------------------
setup_network() {
  local net
  for net in 10.88.0.0/16 10.96.0.0/24; do
    if ip -4 route show to match "${net%/*}" | grep -v "^default" | grep -vq "dev $BRIDGE"; then
      die "$net is already routed on this machine: $(ip -4 route show to match "${net%/*}" | grep -v '^default')"
    fi
  done
  ip link show "$BRIDGE" >/dev/null 2>&1 || ip link add "$BRIDGE" type bridge
  ip addr replace "$NODE_IP/16" dev "$BRIDGE"
  ip link set "$BRIDGE" up
  # A ClusterIP that kube-proxy does not rewrite stays on the bridge instead of taking the default route.
  ip route replace "$SVC_CIDR" dev "$BRIDGE" src "$NODE_IP"
  local ipt
  for ipt in "${IPTABLES[@]}"; do
    $ipt -t mangle -C "${GUARD_RULE[@]}" 2>/dev/null || $ipt -t mangle -I "${GUARD_RULE[@]}"
  done
  # Pods reach each other through the bridge, Services through kube-proxy's DNAT (routing) and the
  # bridge netfilter (hairpin): both need these. The guard above keeps the forwarding on the bridge.
  set_sysctl net.ipv4.ip_forward 1
  set_sysctl net.bridge.bridge-nf-call-iptables 1
  mkdir -p "$S/cni/net.d" "$S/cni/ipam"
  cat >"$S/cni/net.d/10-bridge.conflist" <<EOF
{
  "cniVersion": "1.0.0",
  "name": "bro-e2e",
  "plugins": [
    {"type": "bridge", "bridge": "$BRIDGE", "isGateway": true, "ipMasq": false, "hairpinMode": true,
     "ipam": {"type": "host-local", "dataDir": "$S/cni/ipam",
              "ranges": [[{"subnet": "$POD_CIDR", "rangeStart": "10.88.1.0", "rangeEnd": "10.88.255.254",
                           "gateway": "$NODE_IP"}]],
              "routes": [{"dst": "0.0.0.0/0"}]}},
    {"type": "portmap", "capabilities": {"portMappings": true}}
  ]
}
EOF
  # The kubelet gives pods this file's servers (no cluster DNS is configured): none. The options line
  # matters: given an empty DNS configuration, containerd would copy the host's /etc/resolv.conf.
  printf '%s\n' "# no DNS server for the pods of the real-node tier" "options timeout:1 attempts:1" >"$S/resolv.conf"
}

# Fails unless every confinement rule is in place. Run before the kubelet starts and by the tests.
check_network() {
  local problems=() ipt
  ip -4 addr show dev "$BRIDGE" 2>/dev/null | grep -q "inet $NODE_IP/16" ||
    problems+=("the bridge $BRIDGE with $NODE_IP/16 is missing")
  for ipt in "${IPTABLES[@]}"; do
    local first
    first="$($ipt -t mangle -S FORWARD 2>/dev/null | sed -n 2p)"
    [[ "$first" == *"-i $BRIDGE ! -o $BRIDGE "*"bro-e2e-guard"*"-j DROP" ]] ||
      problems+=("$ipt: the first rule of mangle FORWARD is not the drop of $BRIDGE -> other interfaces (it is: ${first:-none})")
  done
  local route
  route="$(ip -4 route get 10.96.0.250 2>/dev/null | head -1)"
  [[ "$route" == *"dev $BRIDGE"* ]] || problems+=("the service range does not go to $BRIDGE: $route")
  if [[ ! -f "$S/resolv.conf" ]] || grep -q '^[[:space:]]*nameserver' "$S/resolv.conf"; then
    problems+=("the pods' resolv.conf ($S/resolv.conf) is missing or names a DNS server")
  fi
  if [[ -f "$S/conf/kubelet.yaml" ]] && ! grep -qx "resolvConf: $S/resolv.conf" "$S/conf/kubelet.yaml"; then
    problems+=("the kubelet does not use $S/resolv.conf")
  fi
  if [[ -f "$S/cni/net.d/10-bridge.conflist" ]] && ! grep -q "\"bridge\": \"$BRIDGE\"" "$S/cni/net.d/10-bridge.conflist"; then
    problems+=("the CNI configuration does not put pods on $BRIDGE")
  fi
  if ((${#problems[@]})); then
    printf 'e2e-node: NETWORK CONFINEMENT IS NOT IN PLACE: %s\n' "${problems[@]}" >&2
    return 1
  fi
  log "network confinement in place: $BRIDGE guard first in mangle FORWARD (${IPTABLES[*]}), $SVC_CIDR -> $BRIDGE, no DNS server for pods"
}

# --- PKI and kubeconfigs --------------------------------------------------------------------------------
make_pki() {
  local P="$S/pki"
  mkdir -p "$P"
  (
    cd "$P"
    openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 7 -subj "/CN=bro-e2e-ca" 2>/dev/null
    openssl req -newkey rsa:2048 -nodes -keyout apiserver.key -out apiserver.csr -subj "/CN=kube-apiserver" 2>/dev/null
    printf 'subjectAltName=IP:127.0.0.1,IP:%s,IP:10.96.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local\nextendedKeyUsage=serverAuth\nkeyUsage=critical,digitalSignature,keyEncipherment\n' \
      "$NODE_IP" >apiserver.ext
    openssl x509 -req -in apiserver.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out apiserver.crt -days 7 \
      -extfile apiserver.ext 2>/dev/null
    openssl req -newkey rsa:2048 -nodes -keyout kubelet-client.key -out kubelet-client.csr \
      -subj "/O=system:masters/CN=kube-apiserver-kubelet-client" 2>/dev/null
    printf 'extendedKeyUsage=clientAuth\nkeyUsage=critical,digitalSignature,keyEncipherment\n' >client.ext
    openssl x509 -req -in kubelet-client.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out kubelet-client.crt \
      -days 7 -extfile client.ext 2>/dev/null
    # The kubelet's serving certificate, so that the apiserver verifies it for logs and exec.
    openssl req -newkey rsa:2048 -nodes -keyout kubelet.key -out kubelet.csr -subj "/CN=$NODE_NAME" 2>/dev/null
    printf 'subjectAltName=IP:%s,DNS:%s\nextendedKeyUsage=serverAuth\nkeyUsage=critical,digitalSignature,keyEncipherment\n' \
      "$NODE_IP" "$NODE_NAME" >kubelet.ext
    openssl x509 -req -in kubelet.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out kubelet.crt -days 7 \
      -extfile kubelet.ext 2>/dev/null
    openssl genrsa -out sa.key 2048 2>/dev/null
    openssl rsa -in sa.key -pubout -out sa.pub 2>/dev/null
  )
  # etcd serves TLS with client certificates, as on every real cluster, in kubeadm's layout (a CA of
  # its own, a server certificate for 127.0.0.1, one client certificate for the apiserver and for
  # the etcd snapshot agent's Job, which mounts it from the host).
  local E="$P/etcd"
  mkdir -p "$E"
  (
    cd "$E"
    openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 7 -subj "/CN=bro-e2e-etcd-ca" 2>/dev/null
    openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj "/CN=etcd-server" 2>/dev/null
    printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth,clientAuth\nkeyUsage=critical,digitalSignature,keyEncipherment\n' >server.ext
    openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out server.crt -days 7 \
      -extfile server.ext 2>/dev/null
    openssl req -newkey rsa:2048 -nodes -keyout client.key -out client.csr -subj "/CN=etcd-client" 2>/dev/null
    printf 'extendedKeyUsage=clientAuth\nkeyUsage=critical,digitalSignature,keyEncipherment\n' >client.ext
    openssl x509 -req -in client.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out client.crt -days 7 \
      -extfile client.ext 2>/dev/null
    chmod 0600 ./*.key
  )
  : >"$P/tokens.csv"
  chmod 0600 "$P/tokens.csv"
  local u name user group token
  for u in "admin,admin,system:masters" "kubelet,system:node:$NODE_NAME,system:nodes" \
    "kcm,system:kube-controller-manager," "sched,system:kube-scheduler," "proxy,system:kube-proxy,"; do
    IFS=, read -r name user group <<<"$u"
    token="$(openssl rand -hex 16)"
    echo "$token,$user,$user${group:+,\"$group\"}" >>"$P/tokens.csv"
    cat >"$S/$name.kubeconfig" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: node
  cluster: {server: "https://$NODE_IP:6443", certificate-authority: $P/ca.crt}
users:
- name: $name
  user: {token: "$token"}
contexts:
- name: node
  context: {cluster: node, user: $name}
current-context: node
EOF
  done
}

# --- daemons --------------------------------------------------------------------------------------------
start() { # name cmd...: start a daemon in its own session, record its PID
  local name="$1"
  shift
  setsid nohup "$@" >"$S/logs/$name.log" 2>&1 </dev/null &
  echo $! >"$S/pids/$name"
}
wait_until() { # what seconds command...: retry until the command succeeds
  local what="$1" deadline=$((SECONDS + $2))
  shift 2
  until "$@" >/dev/null 2>&1; do
    if ((SECONDS > deadline)); then
      log "$what did not come up; the end of its log:"
      tail -30 "$S/logs/$what.log" >&2 2>/dev/null || true
      die "$what did not come up"
    fi
    sleep 0.3
  done
}
kctl() { "$BIN/kubectl" --kubeconfig="$S/admin.kubeconfig" "$@"; }
ctrn() { ctr --address "$R/containerd.sock" -n k8s.io "$@"; }

start_containerd() {
  mkdir -p "$S/conf" "$S/containerd" "$R"
  # restrict_oom_score_adj: without CAP_SYS_RESOURCE runc cannot give the sandbox a negative score.
  cat >"$S/conf/containerd.toml" <<EOF
version = 2
root = "$S/containerd"
state = "$R/containerd"
[grpc]
  address = "$R/containerd.sock"
[plugins]
  [plugins."io.containerd.grpc.v1.cri"]
    sandbox_image = "$PAUSE_IMAGE"
    restrict_oom_score_adj = true
    [plugins."io.containerd.grpc.v1.cri".containerd]
      snapshotter = "overlayfs"
      default_runtime_name = "runc"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
        runtime_type = "io.containerd.runc.v2"
        [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
          SystemdCgroup = false
    [plugins."io.containerd.grpc.v1.cri".cni]
      bin_dir = "/usr/lib/cni"
      conf_dir = "$S/cni/net.d"
EOF
  # Outside $S and $R: containerd's shims put their sockets under /run/containerd whatever the
  # configuration says, the CNI library caches results in /var/lib/cni, and pods' network namespaces
  # are in /run/netns. "down" removes those that did not exist before.
  local path
  for path in "${SHARED_PATHS[@]}"; do
    [[ -e "$path" ]] || { mkdir -p "$path" && echo "$path" >>"$S/created"; }
  done
  start containerd containerd --config "$S/conf/containerd.toml"
  wait_until containerd 60 ctr --address "$R/containerd.sock" version
  local archive
  for archive in "$IMAGE_CACHE/pause.tar" "$IMAGE_CACHE/debian-jre17.tar" "$S/operator.tar"; do
    ctrn images import "$archive" >/dev/null
  done
  local tag
  for tag in "${OPERATOR_TAGS[@]:1}"; do
    ctrn images tag --force "$OPERATOR_IMAGE:${OPERATOR_TAGS[0]}" "$OPERATOR_IMAGE:$tag" >/dev/null
  done
  log "containerd images: $(ctrn images ls -q | grep -v '^sha256' | tr '\n' ' ')"
}

start_control_plane() {
  local P="$S/pki"
  local E="$P/etcd"
  start etcd "$BIN/etcd" --name=node --data-dir="$S/etcd" \
    --listen-client-urls="https://127.0.0.1:$ETCD_PORT" --advertise-client-urls="https://127.0.0.1:$ETCD_PORT" \
    --cert-file="$E/server.crt" --key-file="$E/server.key" --trusted-ca-file="$E/ca.crt" --client-cert-auth=true \
    --listen-peer-urls="http://127.0.0.1:$ETCD_PEER_PORT" --initial-advertise-peer-urls="http://127.0.0.1:$ETCD_PEER_PORT" \
    --initial-cluster="node=http://127.0.0.1:$ETCD_PEER_PORT" --unsafe-no-fsync=true --log-level=warn
  wait_until etcd 60 curl -sf --cacert "$E/ca.crt" --cert "$E/client.crt" --key "$E/client.key" \
    "https://127.0.0.1:$ETCD_PORT/health"
  start kube-apiserver "$BIN/kube-apiserver" --etcd-servers="https://127.0.0.1:$ETCD_PORT" \
    --etcd-cafile="$E/ca.crt" --etcd-certfile="$E/client.crt" --etcd-keyfile="$E/client.key" \
    --bind-address="$NODE_IP" --advertise-address="$NODE_IP" --secure-port=6443 \
    --tls-cert-file="$P/apiserver.crt" --tls-private-key-file="$P/apiserver.key" --client-ca-file="$P/ca.crt" \
    --token-auth-file="$P/tokens.csv" --authorization-mode=Node,RBAC --enable-admission-plugins=NodeRestriction \
    --kubelet-preferred-address-types=InternalIP,Hostname --kubelet-certificate-authority="$P/ca.crt" \
    --kubelet-client-certificate="$P/kubelet-client.crt" --kubelet-client-key="$P/kubelet-client.key" \
    --service-cluster-ip-range="$SVC_CIDR" --service-account-issuer=https://kubernetes.default.svc.cluster.local \
    --service-account-key-file="$P/sa.pub" --service-account-signing-key-file="$P/sa.key" \
    --allow-privileged=true --profiling=false
  wait_until kube-apiserver 120 curl -sf --cacert "$P/ca.crt" "https://$NODE_IP:6443/readyz"
  start kube-controller-manager "$BIN/kube-controller-manager" --kubeconfig="$S/kcm.kubeconfig" \
    --authentication-kubeconfig="$S/kcm.kubeconfig" --authorization-kubeconfig="$S/kcm.kubeconfig" \
    --bind-address=127.0.0.1 --leader-elect=false --use-service-account-credentials=true \
    --service-account-private-key-file="$P/sa.key" --root-ca-file="$P/ca.crt" \
    --cluster-signing-cert-file="$P/ca.crt" --cluster-signing-key-file="$P/ca.key" \
    --service-cluster-ip-range="$SVC_CIDR" --allocate-node-cidrs=false --profiling=false
  start kube-scheduler "$BIN/kube-scheduler" --kubeconfig="$S/sched.kubeconfig" \
    --authentication-kubeconfig="$S/sched.kubeconfig" --authorization-kubeconfig="$S/sched.kubeconfig" \
    --bind-address=127.0.0.1 --leader-elect=false
}

start_node() {
  local P="$S/pki"
  cat >"$S/conf/kubelet.yaml" <<EOF
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
address: $NODE_IP
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
tlsCertFile: $P/kubelet.crt
tlsPrivateKeyFile: $P/kubelet.key
containerRuntimeEndpoint: unix://$R/containerd.sock
cgroupDriver: cgroupfs
failSwapOn: false
failCgroupV1: false
resolvConf: $S/resolv.conf
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: true}
  x509: {clientCAFile: $P/ca.crt}
authorization: {mode: Webhook}
clusterDomain: cluster.local
rotateCertificates: false
serializeImagePulls: false
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
evictionHard: {memory.available: "100Mi", nodefs.available: "2%", imagefs.available: "2%"}
EOF
  # The confinement must hold before the kubelet can start the first pod.
  check_network || die "refusing to start the kubelet"
  start kubelet "$BIN/kubelet" --config="$S/conf/kubelet.yaml" --kubeconfig="$S/kubelet.kubeconfig" \
    --node-ip="$NODE_IP" --hostname-override="$NODE_NAME" --root-dir="$S/kubelet"
  cat >"$S/conf/kube-proxy.yaml" <<EOF
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
mode: iptables
clientConnection: {kubeconfig: $S/proxy.kubeconfig}
hostnameOverride: $NODE_NAME
bindAddress: $NODE_IP
clusterCIDR: $POD_CIDR
healthzBindAddress: 127.0.0.1:10256
metricsBindAddress: 127.0.0.1:10249
nodePortAddresses: ["$NODE_IP/32"]
iptables: {localhostNodePorts: false}
conntrack: {maxPerCore: 0, min: 0, tcpEstablishedTimeout: 0s, tcpCloseWaitTimeout: 0s}
EOF
  start kube-proxy "$BIN/kube-proxy" --config="$S/conf/kube-proxy.yaml"
  local deadline=$((SECONDS + 180))
  until kctl get node "$NODE_NAME" 2>/dev/null | grep -qw Ready; do
    ((SECONDS < deadline)) || { tail -30 "$S/logs/kubelet.log" >&2; die "the node did not become Ready"; }
    sleep 0.5
  done
  until kctl -n default get serviceaccount default >/dev/null 2>&1; do
    ((SECONDS < deadline)) || die "the default ServiceAccount did not appear"
    sleep 0.5
  done
  # The directory of the chart's hostPath PersistentVolume: the operator runs as uid/gid 1000 and
  # fsGroup does not apply to hostPath volumes.
  mkdir -p "$S/volumes/backups"
  chown 1000:1000 "$S/volumes/backups"
  chmod 0770 "$S/volumes/backups"
}

print_env() {
  echo "KUBECONFIG=$S/admin.kubeconfig"
  echo "BRO_E2E_NODE_DIR=$S"
  echo "BRO_E2E_NODE_IP=$NODE_IP"
  echo "BRO_E2E_NODE_NAME=$NODE_NAME"
  echo "BRO_E2E_BRIDGE=$BRIDGE"
  echo "BRO_E2E_BACKUP_DIR=$S/volumes/backups"
  # The node's etcd, for the etcd snapshot agent Jobs (host network, certificates mounted from here).
  echo "BRO_E2E_ETCD_ENDPOINT=https://127.0.0.1:$ETCD_PORT"
  echo "BRO_E2E_ETCD_PKI=$S/pki/etcd"
  echo "BRO_E2E_ETCD_SNAPSHOT_DIR=$S/etcd-snapshots"
  echo "BRO_E2E_OPERATOR_IMAGE=$OPERATOR_IMAGE"
  echo "BRO_E2E_OPERATOR_TAGS=${OPERATOR_TAGS[*]}"
  echo "BRO_E2E_JRE_IMAGE=$JRE_IMAGE"
  echo "BRO_CONTROL_PLANE_BIN=$BIN"
  echo "BRO_HELM_BIN=${BRO_HELM_BIN:-$("$ROOT/scripts/helm.sh" 2>/dev/null)}"
}

up() {
  require_root_linux
  command -v go >/dev/null || die "Go is needed to build the Kubernetes binaries (scripts/test.sh installs it)"
  if [[ -d "$S" ]] || ip link show "$BRIDGE" >/dev/null 2>&1; then
    phase "clean-up of an earlier run"
    down_inner
    phase_done "clean-up of an earlier run"
  fi
  mkdir -p "$S/pids" "$S/logs" "$R"
  phase packages
  install_packages
  phase_done packages
  phase binaries
  build_binaries
  phase_done binaries
  phase images
  make_base_images
  make_operator_image
  phase_done images
  phase network
  setup_network
  check_network || die "the network confinement could not be set up"
  phase_done network
  phase pki
  make_pki
  phase_done pki
  phase containerd
  start_containerd
  phase_done containerd
  phase control-plane
  start_control_plane
  phase_done control-plane
  phase node
  start_node
  phase_done node
  log "node $NODE_NAME Ready in $((SECONDS - t0))s; KUBECONFIG=$S/admin.kubeconfig"
}

# --- down -----------------------------------------------------------------------------------------------
stop_pid() { # name: SIGTERM the recorded PID, wait up to 20 s, then SIGKILL
  local f="$S/pids/$1" pid
  [[ -f "$f" ]] || return 0
  pid="$(cat "$f")"
  # Only if that PID is still the process we started (a PID can be reused after a reboot).
  if [[ -r "/proc/$pid/cmdline" ]] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q -- "$1"; then
    kill "$pid" 2>/dev/null || true
    local i
    for i in $(seq 1 40); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.5
    done
    if kill -0 "$pid" 2>/dev/null; then
      log "$1 ($pid) ignored SIGTERM: killing it"
      kill -9 "$pid" 2>/dev/null || true
    fi
  fi
  rm -f "$f"
}

delete_workloads() {
  [[ -f "$S/pids/kubelet" && -f "$S/admin.kubeconfig" ]] || return 0
  kill -0 "$(cat "$S/pids/kubelet")" 2>/dev/null || return 0
  kctl get --raw /readyz >/dev/null 2>&1 || return 0
  local ns
  for ns in $(kctl get ns -o name 2>/dev/null | cut -d/ -f2); do
    [[ "$ns" == kube-* || "$ns" == default ]] || kctl delete ns "$ns" --wait=false >/dev/null 2>&1 || true
  done
  kctl delete deploy,statefulset,daemonset,job,pod --all -n default --wait=false >/dev/null 2>&1 || true
  kctl delete pods --all -A --grace-period=1 --wait=false >/dev/null 2>&1 || true
  local i
  for i in $(seq 1 60); do
    [[ -z "$(kctl get pods -A -o name 2>/dev/null)" ]] && break
    sleep 1
  done
}

remove_containers() {
  [[ -S "$R/containerd.sock" ]] || return 0
  local id
  for id in $(ctrn tasks ls -q 2>/dev/null); do ctrn tasks kill -s SIGKILL "$id" >/dev/null 2>&1 || true; done
  sleep 1
  for id in $(ctrn tasks ls -q 2>/dev/null); do ctrn tasks delete -f "$id" >/dev/null 2>&1 || true; done
  for id in $(ctrn containers ls -q 2>/dev/null); do ctrn containers rm "$id" >/dev/null 2>&1 || true; done
}

remove_iptables() {
  local ipt table rule chain
  for ipt in iptables ip6tables; do
    command -v "$ipt" >/dev/null || continue
    while $ipt -t mangle -C "${GUARD_RULE[@]}" 2>/dev/null; do $ipt -t mangle -D "${GUARD_RULE[@]}"; done
    # kube-proxy's and the kubelet's chains (KUBE-SERVICES, KUBE-FIREWALL, KUBE-KUBELET-CANARY, ...):
    # the jumps to them from the built-in chains, then the chains.
    for table in filter nat mangle; do
      { $ipt -t "$table" -S 2>/dev/null | grep -E '^-A [A-Z]+ .*-j KUBE-' | grep -vE '^-A KUBE-' || true; } |
        while read -r rule; do eval "$ipt -t $table ${rule/-A/-D}" || true; done
      for chain in $($ipt -t "$table" -S 2>/dev/null | awk '$1 == "-N" && $2 ~ /^KUBE-/ {print $2}'); do
        $ipt -t "$table" -F "$chain" || true
      done
      for chain in $($ipt -t "$table" -S 2>/dev/null | awk '$1 == "-N" && $2 ~ /^KUBE-/ {print $2}'); do
        $ipt -t "$table" -X "$chain" || true
      done
    done
  done
}

remove_mounts() {
  local m
  { grep -E " ($S|$R|/run/containerd|/run/netns/cni-)" /proc/mounts || true; } | awk '{print $2}' | sort -r |
    while read -r m; do umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true; done
}

remove_netns() {
  local n
  for n in /run/netns/cni-*; do
    if [[ -e "$n" ]]; then ip netns delete "$(basename "$n")" 2>/dev/null || true; fi
  done
}

remove_cgroups() { # the kubelet's pod cgroups (cgroupfs driver), deepest first
  local d
  for d in /sys/fs/cgroup/*/kubepods /sys/fs/cgroup/*/kubepods.slice /sys/fs/cgroup/kubepods; do
    if [[ -d "$d" ]]; then find "$d" -depth -type d -exec rmdir {} \; 2>/dev/null || true; fi
  done
}

down_inner() {
  delete_workloads
  local c
  for c in kube-proxy kubelet kube-scheduler kube-controller-manager kube-apiserver etcd; do stop_pid "$c"; done
  remove_containers
  stop_pid containerd
  # Shims outlive containerd only when their tasks could not be killed: end those of this node only.
  local pid
  for pid in $(pgrep -f "containerd-shim-runc-v2 .*-address $R/containerd.sock" 2>/dev/null || true); do
    kill -9 "$pid" 2>/dev/null || true
  done
  if [[ -x "$BIN/kube-proxy" ]]; then "$BIN/kube-proxy" --cleanup >/dev/null 2>&1 || true; fi
  remove_iptables
  remove_mounts
  remove_netns
  remove_cgroups
  if ip link show "$BRIDGE" >/dev/null 2>&1; then
    ip route del "$SVC_CIDR" dev "$BRIDGE" 2>/dev/null || true
    ip link del "$BRIDGE"
  fi
  # veths of pods whose netns could not be deleted die with the netns; the bridge is gone anyway.
  restore_sysctls
  if [[ -f "$S/created" ]]; then
    local path known
    while IFS= read -r path; do
      for known in "${SHARED_PATHS[@]}"; do
        # /run/netns may be in use by something else by now: only an empty one goes.
        if [[ "$path" == /run/netns && "$known" == /run/netns ]]; then rmdir "$path" 2>/dev/null || true
        elif [[ "$path" == "$known" ]]; then rm -rf "$path"; fi
      done
    done <"$S/created"
  fi
  rm -rf "$R" "$S"
}

down() {
  require_root_linux
  phase down
  local expected=() line key
  [[ -f "$S/sysctl.orig" ]] && mapfile -t expected <"$S/sysctl.orig"
  down_inner
  phase_done down
  local leftovers=()
  for line in "${expected[@]}"; do
    key="${line%%=*}"
    [[ "$(cat "/proc/sys/${key//.//}")" == "${line#*=}" ]] || leftovers+=("$key not restored to ${line#*=}")
  done
  ip link show "$BRIDGE" >/dev/null 2>&1 && leftovers+=("bridge $BRIDGE")
  iptables-save 2>/dev/null | grep -qE 'KUBE-|bro-e2e-guard' && leftovers+=("iptables rules")
  ip6tables-save 2>/dev/null | grep -qE 'KUBE-|bro-e2e-guard' && leftovers+=("ip6tables rules")
  grep -qE " ($S|$R)" /proc/mounts && leftovers+=("mounts")
  ip route | grep -q "$SVC_CIDR" && leftovers+=("route $SVC_CIDR")
  ((${#leftovers[@]} == 0)) || die "down left: ${leftovers[*]}"
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  check) require_root_linux && check_network ;;
  env) print_env ;;
  *)
    echo "usage: $0 up|down|check|env" >&2
    exit 2
    ;;
esac
