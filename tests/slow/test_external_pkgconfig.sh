#!/usr/bin/env bash
# meson install into a scratch root, then build and run an external C
# program with nothing but `pkg-config mlx5x` and the installed headers.
set -euo pipefail
BUILD=$1; SRC=$2
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
meson install -C "$BUILD" --destdir "$root" --no-rebuild --quiet
pc=$(find "$root" -name mlx5x.pc | head -1)
[ -n "$pc" ] || { echo "FAIL: mlx5x.pc not installed"; exit 1; }
# The staged tree lives under $root: point the .pc's prefix there (only
# ours; libdpdk.pc stays the system's).
prefix=$(sed -n 's/^prefix=//p' "$pc")
sed -i "s|^prefix=.*|prefix=$root$prefix|" "$pc"
export PKG_CONFIG_PATH=$(dirname "$pc")
flags=$(pkg-config --cflags --libs mlx5x)
echo "pkg-config mlx5x: $flags"
cc -std=c11 -Wall -Werror -o "$root/external" "$SRC/tests/external/app.c" $flags
libdir=$(dirname "$(dirname "$pc")")
LD_LIBRARY_PATH=$libdir "$root/external" --no-pci --no-huge -m 256 --no-shconf \
  --file-prefix=mlx5x-ext-$$ -l 0 --log-level=lib.eal:warning
