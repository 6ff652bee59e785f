#!/usr/bin/env bash
# Debian's stock dpdk-testpmd drives the mlx5x PMD loaded with -d, in the
# rxonly, io, macswap, txonly and csum forwarding modes, and shows our
# counters under "show port xstats". Each mode must move packets.
set -uo pipefail
PMD=$1

. "$(dirname "$0")/../common/safe_pmd.sh"
PMD=$(safe_pmd "$PMD")
case $PMD in "${HOME:-/root}"/mlx5x-pmd.*) trap 'rm -rf "$(dirname "$PMD")"' EXIT ;; esac
TESTPMD=$(command -v dpdk-testpmd) || { echo "SKIP: dpdk-testpmd not installed"; exit 77; }
fail=0
preload=$(pmd_preload "$PMD")
[ -n "$preload" ] && export ASAN_OPTIONS=detect_leaks=0:abort_on_error=1

run_mode() {
  local mode=$1 devargs=$2 log
  log=$(mktemp)
  # testpmd reads commands from stdin: start, let it run, stop, dump.
  # "start" waits for the prompt: start-up takes 1.5 to 3.5 s here, and
  # a start and stop queued together would forward for microseconds.
  # --no-flush-rx: testpmd's start-up flush reads until a queue is empty,
  # which a generator running at line rate never is (it would eat 2 s).
  (for _ in $(seq 300); do grep -q "testpmd> " "$log" 2>/dev/null && break; sleep 0.1; done
   echo "start"; sleep 3; echo "stop"; echo "show port xstats 0"; sleep 0.3; echo "quit") |
    LD_PRELOAD="$preload" timeout 60 "$TESTPMD" --no-pci --no-huge -m 1024 --no-shconf \
      --file-prefix=mlx5x-compat-$$ -l 0,1 -d "$PMD" \
      --vdev "net_mlx5x0,$devargs" -- -i --no-flush-rx --forward-mode="$mode" \
      --total-num-mbufs=16384 >"$log" 2>&1
  local rc=$?
  local rx tx
  rx=$(grep -m1 -oE "RX-packets: +[0-9]+" "$log" | grep -oE "[0-9]+$")
  tx=$(grep -m1 -oE "TX-packets: +[0-9]+" "$log" | grep -oE "[0-9]+$")
  local ok=1
  [ "$rc" -eq 0 ] || ok=0
  case $mode in
    rxonly) [ "${rx:-0}" -gt 1000 ] || ok=0 ;;
    txonly) [ "${tx:-0}" -gt 1000 ] || ok=0 ;;
    *) [ "${rx:-0}" -gt 1000 ] && [ "${tx:-0}" -gt 1000 ] || ok=0 ;;
  esac
  for x in wire_rx_frames wire_tx_frames rx_out_of_buffer rx_q0_pp_alloc_fast \
           rx_q0_pp_recycle_cached tx_q0_packets; do
    grep -q "^$x: " "$log" || { echo "  missing xstat $x"; ok=0; }
  done
  if [ $ok = 1 ]; then
    echo "ok   $mode ($devargs): rx=$rx tx=$tx"
  else
    echo "FAIL $mode ($devargs): rc=$rc rx=${rx:-none} tx=${tx:-none}"
    tail -30 "$log"
    fail=1
  fi
  rm -f "$log"
}

# Telemetry: our command and the pagepool's, from a running testpmd.
tel() {
  local prefix=mlx5x-tel-$$ out
  (echo "start"; sleep 8; echo "stop"; echo quit) |
    LD_PRELOAD="$preload" timeout 60 "$TESTPMD" --no-pci --no-huge -m 1024 --no-shconf \
      --file-prefix=$prefix -l 0,1 -d "$PMD" \
      --vdev "net_mlx5x0,wire=gen,dev_mode=inline" -- -i --no-flush-rx \
      --total-num-mbufs=16384 >/dev/null 2>&1 &
  local p=$! sock=/var/run/dpdk/$prefix/dpdk_telemetry.v2
  for i in $(seq 50); do [ -S "$sock" ] && break; sleep 0.1; done
  # ports are set up after the socket appears: ask until they are
  for i in $(seq 40); do
    out=$(python3 "$(dirname "$0")/telemetry_query.py" "$sock" "/mlx5x/info,0" \
          "/pagepool/list" 2>&1)
    grep -q '"rx_queues": 1' <<<"$out" && break
    sleep 0.2
  done
  kill -INT $p 2>/dev/null; wait $p
  if grep -q '"wire": "gen"' <<<"$out" && grep -q 'mlx5x_p0q0' <<<"$out"; then
    echo "ok   telemetry: /mlx5x/info and /pagepool/list"
  else
    echo "FAIL telemetry: $out"; fail=1
  fi
}
tel

for mode in rxonly io macswap txonly csum; do
  run_mode "$mode" "wire=gen,dev_mode=inline"
done
run_mode rxonly "wire=gen,dev_cpu=0,mprq=1,cqe_comp=1"
exit $fail
