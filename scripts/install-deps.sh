#!/usr/bin/env bash
# Installs, with apt-get, whatever the build and the test suites need and is
# not there yet, then makes sure the DPDK driver SDK headers are present.
# Quick and silent when everything is already installed.
set -euo pipefail

PKGS=(
  build-essential meson ninja-build pkg-config python3
  dpdk-dev libdpdk-dev libnuma-dev
  libbpf-dev libelf-dev zlib1g-dev linux-libc-dev
  libibverbs-dev rdma-core
  libpcap-dev
  clang llvm
  bpftool xdp-tools iproute2 iputils-ping ethtool
  python3-matplotlib
)

if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps: must run as root (apt-get, bpf() and hugepages need it)" >&2
  exit 1
fi

missing=()
for p in "${PKGS[@]}"; do
  st=$(dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null || true)
  [[ "$st" == ii* ]] || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

"$(dirname "$0")/dpdk-driver-sdk.sh"
