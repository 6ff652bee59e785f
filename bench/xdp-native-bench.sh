#!/usr/bin/env bash
# Native XDP benchmark (doc/performance.md): the standard matrix of
# `testpmd-xdp bench` with the kernel's veth XDP next to native and
# generic, writing doc/testpmd-xdp-bench.{md,json,png}.
#   bench/xdp-native-bench.sh [RUNS] [SECONDS] [extra bench options]  (root)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-5}; SECS=${2:-1.5}; shift $(( $# > 2 ? 2 : $# ))
B=${MLX5X_BUILD_DIR:-build}
exec "$B/app/testpmd-xdp/testpmd-xdp" --no-pci --no-huge -m 1024 --no-shconf \
  --file-prefix=xnb$$ -l 0,1 --log-level=lib.eal:warning \
  --log-level=pagepool:warning -- \
  bench --kernel --runs "$RUNS" --seconds "$SECS" --out doc/testpmd-xdp-bench "$@"
