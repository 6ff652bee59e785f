#!/usr/bin/env bash
# Debian's libdpdk-dev ships DPDK without its driver SDK headers
# (ethdev_driver.h, bus_vdev_driver.h, ...), which an out-of-tree PMD needs.
# They must match the installed DPDK exactly, so take them from Debian's
# source package of the very same version and install them beside it.
set -euo pipefail

DEST=${MLX5X_DPDK_SDK:-/usr/local/include/dpdk-driver-sdk}
ver=$(dpkg-query -W -f='${Version}' libdpdk-dev)

if [ -f "$DEST/.version" ] && [ "$(cat "$DEST/.version")" = "$ver" ]; then
  exit 0
fi

echo "dpdk-driver-sdk: fetching driver SDK headers of dpdk $ver into $DEST"
src_list=/etc/apt/sources.list.d/mlx5x-deb-src.sources
if ! apt-get source --print-uris "dpdk=$ver" >/dev/null 2>&1; then
  cat > "$src_list" <<SRC
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb-src
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
  apt-get update -qq
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
chmod 755 "$tmp"
( cd "$tmp" && apt-get source --download-only -qq "dpdk=$ver" >/dev/null 2>&1 )
orig=$(ls "$tmp"/dpdk_*.orig.tar.*)
top=$(tar tf "$orig" | awk -F/ 'NR==1{print $1}')
# The headers DPDK installs with -Denable_driver_sdk=true that a net vdev
# PMD includes.
files=(
  lib/ethdev/ethdev_driver.h
  lib/ethdev/ethdev_vdev.h
  lib/eal/include/bus_driver.h
  lib/eal/include/dev_driver.h
  drivers/bus/vdev/bus_vdev_driver.h
)
tar -C "$tmp" -xf "$orig" "${files[@]/#/$top/}"
mkdir -p "$DEST"
for f in "${files[@]}"; do install -m 644 "$tmp/$top/$f" "$DEST/"; done
echo "$ver" > "$DEST/.version"
