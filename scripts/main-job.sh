#!/usr/bin/env bash
# The README's first command: installs what is missing, builds, and runs
# the main job. The main job is testpmd-xdp on an emulated mlx5x port with
# a bundled XDP program, printing rates every second. Parts that have not
# landed yet are skipped with a note; what exists runs.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${MLX5X_BUILD_DIR:-build}
scripts/install-deps.sh
scripts/build.sh
APP=$BUILD/app/testpmd-xdp/testpmd-xdp
PROG=$BUILD/app/testpmd-xdp/progs/xdp_action.o
if [ -x "$APP" ]; then
  exec "$APP" --no-pci --no-huge -m 512 --no-shconf -l 0,1 \
    --vdev "net_mlx5x0,wire=gen" -- --xdp "$PROG" --set action=1 \
    --duration "${MLX5X_DURATION:-10}" --interval 1 "$@"
fi
echo "main-job: testpmd-xdp has not landed yet; running what exists:"
echo "main-job: page recycling benchmark ($BUILD/bench/pagepool-bench)"
exec "$BUILD/bench/pagepool-bench" --quick
