#!/usr/bin/env bash
# Generic XDP on DPDK's own kernel-facing PMDs, through testpmd-xdp:
# net_af_packet on a veth whose peer (in a namespace) pings, and net_tap
# whose kernel side pings. IPv6 is off on the senders and the neighbours
# are static, so the only frames are the 30 echo requests; the program
# drops all it sees, and the totals must say so: rx >= 30, rx = drop.
set -uo pipefail
APP=$1
PROGS=$(dirname "$APP")/progs
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root (veth, tap)"; exit 77; }
command -v ping >/dev/null || { echo "SKIP: no ping (iputils-ping)"; exit 77; }
tag=xk$$ ns=xk$$n
json=$(mktemp); out=$(mktemp); bg=
fail=0
cleanup() {
  [ -n "$bg" ] && kill $bg 2>/dev/null && wait $bg 2>/dev/null
  ip netns del $ns 2>/dev/null; ip link del ${tag}a 2>/dev/null
  rm -f "$json" "$out"
}
trap cleanup EXIT
check() { if eval "$2"; then echo "ok   $1"; else echo "FAIL $1"; tail -20 "$out"; fail=1; fi; }
EAL="--no-pci --no-huge -m 512 --no-shconf -l 0,1 --log-level=lib.eal:warning"
all_dropped='python3 - "$json" <<PY
import json, sys
t = json.load(open(sys.argv[1]))["summary"]["totals"]
print("  rx", t["rx"], "drop", t["drop"])
sys.exit(0 if t["rx"] >= 30 and t["drop"] == t["rx"] else 1)
PY'

# net_af_packet: host end ${tag}a, sender ${tag}b in $ns
ip netns add $ns || { echo "SKIP: cannot create a network namespace"; exit 77; }
ip link add ${tag}a type veth peer name ${tag}b
ip link set ${tag}b netns $ns
ip netns exec $ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1
sysctl -qw net.ipv6.conf.${tag}a.disable_ipv6=1
ip link set ${tag}a up
ip -n $ns addr add 10.232.0.2/24 dev ${tag}b
ip -n $ns link set ${tag}b up
ip -n $ns neigh add 10.232.0.1 lladdr 02:00:00:00:e8:01 dev ${tag}b nud permanent
"$APP" $EAL --file-prefix=${tag}p --vdev "net_af_packet0,iface=${tag}a" -- \
  --xdp "$PROGS/xdp_bench.o" --set action=1 --duration 4 --json "$json" >"$out" 2>&1 &
bg=$!
sleep 1.5
ip netns exec $ns ping -q -c 30 -i 0.05 -W 0.1 10.232.0.1 >/dev/null 2>&1
wait $bg; rc=$?; bg=
check "generic XDP on net_af_packet: 30 pings in, all dropped" "[ $rc = 0 ] && $all_dropped"

# net_tap: DPDK makes ${tag}t; the host pings through it
"$APP" $EAL --file-prefix=${tag}t --vdev "net_tap0,iface=${tag}t" -- \
  --xdp "$PROGS/xdp_bench.o" --set action=1 --duration 5 --json "$json" >"$out" 2>&1 &
bg=$!
for _ in $(seq 50); do ip link show ${tag}t >/dev/null 2>&1 && break; sleep 0.1; done
sysctl -qw net.ipv6.conf.${tag}t.disable_ipv6=1
ip addr add 10.233.0.1/24 dev ${tag}t
ip link set ${tag}t up
ip neigh add 10.233.0.2 lladdr 02:00:00:00:e9:02 dev ${tag}t nud permanent
sleep 0.5
ping -q -c 30 -i 0.05 -W 0.1 10.233.0.2 >/dev/null 2>&1
wait $bg; rc=$?; bg=
check "generic XDP on net_tap: 30 pings in, all dropped" "[ $rc = 0 ] && $all_dropped"
exit $fail
