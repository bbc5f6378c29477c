# Starts a throw-away control plane (etcd + kube-apiserver on 127.0.0.1, no kubelet) for the demo.
# Sourced by scripts/demo.sh. Requires BRO_CONTROL_PLANE_BIN (from scripts/control-plane.sh) and
# DEMO_DIR (a scratch directory). Sets KUBECONFIG and defines kubectl() and stop_local_cluster.

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

wait_for() {
  local what="$1" url="$2" deadline=$((SECONDS + 90))
  until curl -ksf -H "Authorization: Bearer ${DEMO_TOKEN:-}" "$url" >/dev/null 2>&1; do
    if (( SECONDS > deadline )); then
      echo "demo: $what did not become ready; its log:" >&2
      tail -30 "$DEMO_DIR/$what.log" >&2
      return 1
    fi
    sleep 0.2
  done
}

start_local_cluster() {
  local bin="$BRO_CONTROL_PLANE_BIN"
  local etcd_port peer_port api_port
  etcd_port="$(free_port)"; peer_port="$(free_port)"; api_port="$(free_port)"
  "$bin/etcd" --name=default --data-dir="$DEMO_DIR/etcd" \
    --listen-client-urls="http://127.0.0.1:$etcd_port" --advertise-client-urls="http://127.0.0.1:$etcd_port" \
    --listen-peer-urls="http://127.0.0.1:$peer_port" --initial-advertise-peer-urls="http://127.0.0.1:$peer_port" \
    --initial-cluster="default=http://127.0.0.1:$peer_port" --unsafe-no-fsync=true --log-level=warn \
    >"$DEMO_DIR/etcd.log" 2>&1 &
  DEMO_PIDS+=($!)
  wait_for etcd "http://127.0.0.1:$etcd_port/health"

  DEMO_TOKEN="$(python3 -c 'import uuid; print(uuid.uuid4())')"
  echo "$DEMO_TOKEN,admin,admin-uid,system:masters" >"$DEMO_DIR/tokens.csv"
  openssl genrsa -out "$DEMO_DIR/sa.key" 2048 2>/dev/null
  openssl rsa -in "$DEMO_DIR/sa.key" -pubout -out "$DEMO_DIR/sa.pub" 2>/dev/null
  "$bin/kube-apiserver" --etcd-servers="http://127.0.0.1:$etcd_port" --bind-address=127.0.0.1 \
    --advertise-address=127.0.0.1 --secure-port="$api_port" --cert-dir="$DEMO_DIR/certs" \
    --token-auth-file="$DEMO_DIR/tokens.csv" --authorization-mode=RBAC \
    --service-cluster-ip-range=10.0.0.0/24 --service-account-issuer=https://kubernetes.default.svc.cluster.local \
    --service-account-key-file="$DEMO_DIR/sa.pub" --service-account-signing-key-file="$DEMO_DIR/sa.key" \
    --disable-admission-plugins=ServiceAccount --allow-privileged=true \
    >"$DEMO_DIR/kube-apiserver.log" 2>&1 &
  DEMO_PIDS+=($!)
  wait_for kube-apiserver "https://127.0.0.1:$api_port/readyz"

  export KUBECONFIG="$DEMO_DIR/kubeconfig"
  cat >"$KUBECONFIG" <<YAML
apiVersion: v1
kind: Config
clusters:
- name: demo
  cluster: {server: "https://127.0.0.1:$api_port", insecure-skip-tls-verify: true}
users:
- name: admin
  user: {token: "$DEMO_TOKEN"}
contexts:
- name: demo
  context: {cluster: demo, user: admin}
current-context: demo
YAML
}

kubectl() { "$BRO_CONTROL_PLANE_BIN/kubectl" "$@"; }

stop_local_cluster() {
  local pid
  for pid in "${DEMO_PIDS[@]:-}"; do
    [[ -n "$pid" ]] && kill "$pid" 2>/dev/null || true
  done
  wait 2>/dev/null || true
}
