#!/usr/bin/env bash
# The mlx5x PMD benchmark: Mpps at 64-byte frames (60 B + FCS) for rxonly,
# io and macswap, one polling lcore, median of RUNS runs of SECONDS each.
# Peers in the same run: net_null (rxonly, io) and net_af_packet on a veth
# fed by the kernel (BPF_PROG_TEST_RUN live frames redirected into it).
#   bench/mlx5x-bench.sh [RUNS] [SECONDS]       (root, after a build)
set -uo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-5}; SECS=${2:-3}
B=${MLX5X_BUILD_DIR:-build}
PMD=$B/drivers/net/mlx5x/librte_net_mlx5x.so
PB=$B/bench/portbench
EAL="--no-pci --no-huge -m 1024 --no-shconf -l 0,1 --log-level=lib.eal:warning -d $PMD"

# run VDEV MODE -> "median min max cycles_median"
run() {
  local vdev=$1 mode=$2 out mpps=() cyc=()
  for r in $(seq "$RUNS"); do
    out=$($PB $EAL --file-prefix=pb$$ --vdev "$vdev" -- --mode "$mode" --seconds "$SECS" 2>/dev/null | tail -1)
    mpps+=("$(sed -n 's/.* mpps=\([0-9.]*\).*/\1/p' <<<"$out")")
    cyc+=("$(sed -n 's/.* cycles_per_pkt=\([0-9.]*\).*/\1/p' <<<"$out")")
  done
  python3 - "${mpps[*]}" "${cyc[*]}" <<'PY'
import statistics, sys
m = [float(x) for x in sys.argv[1].split() if x]; c = [float(x) for x in sys.argv[2].split() if x]
print(f"{statistics.median(m):.2f} {min(m):.2f} {max(m):.2f} {statistics.median(c):.1f}" if m else "0 0 0 0")
PY
}

printf "%-44s %-8s %8s %8s %8s %10s\n" case mode Mpps min max cyc/pkt
declare -A res
row() {
  local name=$1 vdev=$2 mode=$3 r
  r=$(run "$vdev" "$mode")
  res["$name/$mode"]=$r
  read -r med lo hi cyc <<<"$r"
  printf "%-44s %-8s %8s %8s %8s %10s\n" "$name" "$mode" "$med" "$lo" "$hi" "$cyc"
}

for mode in rxonly io; do row "net_null" "net_null0" $mode; done
for mode in rxonly io macswap; do
  row "mlx5x inline" "net_mlx5x0,wire=gen,dev_mode=inline" $mode
  row "mlx5x inline mprq+cqe_comp" "net_mlx5x0,wire=gen,dev_mode=inline,mprq=1,cqe_comp=1" $mode
  row "mlx5x thread (device on CPU 0)" "net_mlx5x0,wire=gen,dev_cpu=0" $mode
  row "mlx5x thread mprq" "net_mlx5x0,wire=gen,dev_cpu=0,mprq=1" $mode
  row "mlx5x thread cqe_comp" "net_mlx5x0,wire=gen,dev_cpu=0,cqe_comp=1" $mode
  row "mlx5x thread mprq+cqe_comp" "net_mlx5x0,wire=gen,dev_cpu=0,mprq=1,cqe_comp=1" $mode
done

# net_af_packet on a veth, the kernel generating into the other end.
if [ "$(id -u)" = 0 ] && ip link add mxbench0 type veth peer name mxbench1 2>/dev/null; then
  ip link set mxbench0 up; ip link set mxbench1 up
  # veth takes XDP-redirected frames only with NAPI on at the receiving end
  ethtool -K mxbench0 gro on >/dev/null
  gen_secs=$(( (SECS + 2) * RUNS + 5 ))
  taskset -c 0 $B/bench/xdp-live-gen $B/app/testpmd-xdp/progs/xdp_livegen.o mxbench1 $gen_secs >/tmp/mxbench-gen.log 2>&1 &
  gp=$!
  sleep 1
  row "net_af_packet on veth (kernel live frames)" "net_af_packet0,iface=mxbench0,blocksz=65536,framesz=2048,framecnt=4096" rxonly
  kill $gp 2>/dev/null; wait $gp 2>/dev/null
  ip link del mxbench0
else
  echo "net_af_packet: skipped (needs root and veth)"
fi

read -r null_med _ _ null_cyc <<<"${res[net_null/rxonly]}"
read -r in_med _ _ in_cyc <<<"${res[mlx5x inline/rxonly]}"
python3 - "$null_cyc" "$in_cyc" <<'PY'
import sys
n, m = float(sys.argv[1]), float(sys.argv[2])
print(f"\ninline rxonly cost vs net_null rxonly: {m:.1f} / {n:.1f} cycles per packet = {m / n:.2f}x (goal <= 1.5x)")
PY
best=0
for k in "mlx5x thread (device on CPU 0)" "mlx5x thread mprq" "mlx5x thread cqe_comp" "mlx5x thread mprq+cqe_comp"; do
  read -r med _ _ _ <<<"${res[$k/rxonly]}"
  echo "thread-mode rxonly, $k: median $med Mpps (goal 40)"
done
