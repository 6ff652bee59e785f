#!/usr/bin/env bash
# Native XDP benchmark: the same XDP objects run three ways in one run,
#  - native: inside the mlx5x driver on the receive page (bench/xdpbench),
#  - generic: xdp_compat's RX callback on the mbufs of the same port,
#  - kernel: attached in driver mode to a veth, fed by the kernel's own
#    generator (BPF_PROG_TEST_RUN live frames, bench/xdp-live-gen),
# for six cases and six frame sizes. mlx5x: the device model (gen wire)
# on CPU 0, the polling lcore on CPU 1. Kernel: the generator on CPU 0,
# the program wherever the kernel runs the veth's NAPI.
#   bench/xdp-native-bench.sh [RUNS] [SECONDS] [SIZES]    (root, after a build)
# Prints a markdown table (Mpps, median of RUNS) and the goal lines.
set -uo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-3}; SECS=${2:-2}; SIZES=${3:-"64 128 256 512 1024 1500"}
B=${MLX5X_BUILD_DIR:-build}
P=$B/app/testpmd-xdp/progs
XB=$B/bench/xdpbench
PMD=$B/drivers/net/mlx5x/librte_net_mlx5x.so
EAL="--no-pci --no-huge -m 1024 --no-shconf -l 0,1 --log-level=lib.eal:warning"

# case name | object and globals | redirect?
CASES=(
  "drop|$P/xdp_drop.o|"
  "drop (read)|$P/xdp_bench.o|action=1 touch=1"
  "tx (macswap)|$P/xdp_tx.o|"
  "redirect (peer port)|$P/xdp_redirect.o|"
  "pass (rxonly)|$P/xdp_pass.o|"
  "no program|-|"
)

median() {
  python3 -c 'import statistics,sys; v=[float(x) for x in sys.argv[1:] if x]; print(f"{statistics.median(v):.2f}" if v else "-")' "$@"
}

# mlx5x ENGINE OBJ GLOBALS SIZE REDIRECT -> Mpps
mlx5x() {
  local eng=$1 obj=$2 globals=$3 size=$4 redir=$5 v=() args=() g
  local vdev="net_mlx5x0,wire=gen,dev_cpu=0,gen_size=$((size - 4)),gen_flows=64"
  [ "$obj" != - ] && args+=(--xdp "$obj" --engine "$eng")
  for g in $globals; do args+=(--set "$g"); done
  local peer=()
  [ -n "$redir" ] && peer=(--vdev "net_mlx5x1,wire=gen,gen_pps=1,dev_cpu=0")
  for _ in $(seq "$RUNS"); do
    v+=("$($XB $EAL --vdev "$vdev" "${peer[@]}" -- "${args[@]}" --seconds "$SECS" 2>/dev/null |
          sed -n 's/.* mpps=\([0-9.]*\).*/\1/p' | tail -1)")
  done
  median "${v[@]}"
}

# kernel OBJ GLOBALS SIZE REDIRECT -> Mpps
kernel() {
  local obj=$1 globals=$2 size=$3 redir=$4 v=() extra=()
  [ -n "$redir" ] && extra+=("redirect=mxk2")
  for _ in $(seq "$RUNS"); do
    taskset -c 0 $B/bench/xdp-live-gen $B/bench/xdp_redirect_gen.o mxk1 \
      "$(echo "$SECS + 1.5" | bc)" "$size" >/dev/null 2>&1 &
    local gp=$!
    sleep 0.2
    if [ "$obj" = - ]; then
      local r0 r1
      r0=$(cat /sys/class/net/mxk0/statistics/rx_packets)
      sleep "$SECS"
      r1=$(cat /sys/class/net/mxk0/statistics/rx_packets)
      v+=("$(python3 -c "print(($r1 - $r0) / $SECS / 1e6)")")
    else
      # shellcheck disable=SC2086
      v+=("$(taskset -c 1 $B/bench/xdp-kern-run "$obj" mxk0 "$SECS" $globals "${extra[@]}" 2>/dev/null |
            sed -n 's/.*kernel_mpps=\([0-9.]*\).*/\1/p')")
    fi
    wait $gp 2>/dev/null
  done
  median "${v[@]}"
}

have_kernel=0
if [ "$(id -u)" = 0 ] && ip link add mxk0 type veth peer name mxk1 2>/dev/null; then
  ip link add mxk2 type veth peer name mxk3
  for i in 0 1 2 3; do ip link set mxk$i up; done
  # a veth takes redirected frames only with NAPI on at the receiving end
  ethtool -K mxk0 gro on >/dev/null; ethtool -K mxk1 gro on >/dev/null
  ethtool -K mxk3 gro on >/dev/null
  have_kernel=1
  trap 'ip link del mxk0 2>/dev/null; ip link del mxk2 2>/dev/null' EXIT
fi

echo "| case | size | native Mpps | generic Mpps | kernel veth Mpps | native / generic | native / kernel |"
echo "|---|---|---|---|---|---|---|"
declare -A R
for c in "${CASES[@]}"; do
  IFS='|' read -r name obj globals <<<"$c"
  redir=""; [[ $name == redirect* ]] && redir=1
  for size in $SIZES; do
    n=$(mlx5x native "$obj" "$globals" "$size" "$redir")
    if [ "$obj" = - ]; then g="-"; else g=$(mlx5x generic "$obj" "$globals" "$size" "$redir"); fi
    if [ $have_kernel = 1 ]; then k=$(kernel "$obj" "$globals" "$size" "$redir"); else k="-"; fi
    ng=$(python3 -c "import sys; a,b=sys.argv[1:]; print(f'{float(a)/float(b):.2f}x' if b not in ('-','0','0.00') else '-')" "$n" "$g")
    nk=$(python3 -c "import sys; a,b=sys.argv[1:]; print(f'{float(a)/float(b):.2f}x' if b not in ('-','0','0.00') else '-')" "$n" "$k")
    R["$name/$size"]="$n $g $k"
    echo "| $name | $size | $n | $g | $k | $ng | $nk |"
  done
done

if [[ " $SIZES " == *" 64 "* ]]; then
  read -r dn dg dk <<<"${R[drop (read)/64]}"
  read -r tn tg tk <<<"${R[tx (macswap)/64]}"
  read -r pn pg pk <<<"${R[drop/64]}"
  echo
  echo "goal native drop (read) >= 40 Mpps at 64 B: $dn"
  echo "goal native tx >= 25 Mpps at 64 B: $tn"
  echo "goal native >= 1.5x generic at 64 B: drop $pn/$pg, drop (read) $dn/$dg, tx $tn/$tg"
  echo "goal native >= 5x kernel veth at 64 B: drop $pn/$pk, drop (read) $dn/$dk, tx $tn/$tk"
fi
