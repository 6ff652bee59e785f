#!/usr/bin/env bash
# The README's first command: installs what is missing, builds, and runs
# the main job: testpmd-xdp on an emulated mlx5x port (a generator on the
# far end of the cable) with the bundled XDP program xdp_bench set to
# DROP, printing per-action rates every second for MLX5X_DURATION seconds
# (default 10; 0 = until Ctrl-C). Extra arguments go to testpmd-xdp.
# XDP runs natively in the mlx5x driver (--mode auto), on the receive
# page before any mbuf exists.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${MLX5X_BUILD_DIR:-build}
scripts/install-deps.sh
scripts/build.sh
ncpu=$(nproc)
# The forwarding lcore takes the last CPU, the device thread the first.
lcores="0,$((ncpu > 1 ? ncpu - 1 : 0))"
exec "$BUILD/app/testpmd-xdp/testpmd-xdp" --no-pci --no-huge -m 1024 \
  --no-shconf --file-prefix=mlx5x-main -l "$lcores" \
  --log-level=lib.eal:warning \
  --vdev "net_mlx5x0,wire=gen,gen_flows=64,dev_cpu=0" -- \
  --xdp "$BUILD/app/testpmd-xdp/progs/xdp_bench.o" --set action=1 \
  --interval 1 --duration "${MLX5X_DURATION:-10}" "$@"
