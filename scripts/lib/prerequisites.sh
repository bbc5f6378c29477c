# Checks (and on Debian or Ubuntu installs) what the scripts need: a JDK 17+, Go 1.24+, GNU tar,
# curl, openssl and python3. Sourced by scripts/test.sh and scripts/demo.sh.

# apt-get as root, or through password-less sudo (a GitHub-hosted runner's user has it).
apt_install() {
  local sudo=()
  if [[ "$(id -u)" != "0" ]] && command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo=(sudo -n)
  fi
  if command -v apt-get >/dev/null 2>&1 && { [[ "$(id -u)" == "0" ]] || (( ${#sudo[@]} )); }; then
    echo "prerequisites: installing $*" >&2
    "${sudo[@]}" apt-get update -qq >/dev/null &&
      "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
  else
    echo "prerequisites: please install $* (no apt-get as root or password-less sudo here)" >&2
    return 1
  fi
}

go_is_recent() {
  command -v go >/dev/null 2>&1 || return 1
  local v
  v="$(go env GOVERSION 2>/dev/null)"; v="${v#go}"
  local major="${v%%.*}" rest="${v#*.}"; local minor="${rest%%.*}"
  (( major > 1 || (major == 1 && minor >= 24) ))
}

require_prerequisites() {
  if ! command -v javac >/dev/null 2>&1; then
    apt_install openjdk-17-jdk-headless
  fi
  local tool
  for tool in tar curl openssl python3; do
    if ! command -v "$tool" >/dev/null 2>&1; then
      apt_install "$tool"
    fi
  done
  if ! go_is_recent; then
    # Debian's golang-go is older than kube-apiserver 1.34 needs; the Go toolchain itself comes
    # from the Go module proxy (golang.org/toolchain) once any go >= 1.21 is present.
    if ! command -v go >/dev/null 2>&1; then
      apt_install golang-go
    fi
    export GOTOOLCHAIN=go1.24.13
    go version >/dev/null
  fi
}
