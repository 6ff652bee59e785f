#!/usr/bin/env bash
# Configures (once) and builds build/. Extra arguments go to meson setup.
# MLX5X_WERROR=1 adds -Werror, as CI does.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${MLX5X_BUILD_DIR:-build}
opts=()
[ "${MLX5X_WERROR:-0}" = 1 ] && opts+=(-Dwerror=true)
if [ ! -f "$BUILD/build.ninja" ]; then
  meson setup "$BUILD" "${opts[@]}" "$@" >/dev/null
elif [ ${#opts[@]} -gt 0 ] || [ $# -gt 0 ]; then
  meson configure "$BUILD" "${opts[@]}" "$@" >/dev/null
fi
ninja -C "$BUILD" >/dev/null
echo "build: $BUILD ready"
