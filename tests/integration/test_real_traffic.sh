#!/usr/bin/env bash
# Real kernel traffic through two mlx5x ports (wire=iface): two network
# namespaces, each joined by a veth pair to one port; stock dpdk-testpmd
# forwards between the ports in io mode. ping, then a UDP and a TCP
# transfer with a checksum of the data, from one namespace to the other,
# with the namespaces' default offloads (checksum offload, TSO/GSO) on.
set -uo pipefail
PMD=$1

. "$(dirname "$0")/../common/safe_pmd.sh"
PMD=$(safe_pmd "$PMD")
preload=$(pmd_preload "$PMD")
[ -n "$preload" ] && export ASAN_OPTIONS=detect_leaks=0:abort_on_error=1
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root (network namespaces)"; exit 77; }
command -v dpdk-testpmd >/dev/null || { echo "SKIP: no dpdk-testpmd"; exit 77; }
command -v ping >/dev/null || { echo "SKIP: no ping (iputils-ping)"; exit 77; }
tag=mx$$
ns1=${tag}a ns2=${tag}b
ip netns add $ns1 2>/dev/null || { echo "SKIP: cannot create network namespaces"; exit 77; }
ip netns add $ns2
log=$(mktemp)
tp=
cleanup() {
  [ -n "$tp" ] && kill -INT $tp 2>/dev/null && wait $tp 2>/dev/null
  ip netns del $ns1 2>/dev/null; ip netns del $ns2 2>/dev/null
  ip link del ${tag}p0 2>/dev/null; ip link del ${tag}p1 2>/dev/null
  rm -f "$log"
  case $PMD in "${HOME:-/root}"/mlx5x-pmd.*) rm -rf "$(dirname "$PMD")" ;; esac
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; echo "--- testpmd log"; tail -40 "$log"; exit 1; }

# ns1 [${tag}n0] <-veth-> [${tag}p0] mlx5x port 0 <-testpmd io-> port 1 [${tag}p1] <-veth-> [${tag}n1] ns2
ip link add ${tag}p0 type veth peer name ${tag}n0
ip link add ${tag}p1 type veth peer name ${tag}n1
ip link set ${tag}n0 netns $ns1
ip link set ${tag}n1 netns $ns2
ip link set ${tag}p0 up; ip link set ${tag}p1 up
ip -n $ns1 addr add 10.231.0.1/24 dev ${tag}n0; ip -n $ns1 link set ${tag}n0 up
ip -n $ns2 addr add 10.231.0.2/24 dev ${tag}n1; ip -n $ns2 link set ${tag}n1 up
ip -n $ns1 link set lo up; ip -n $ns2 link set lo up
echo "offloads in $ns1: $(ip netns exec $ns1 ethtool -k ${tag}n0 2>/dev/null | grep -E '^(tx-checksumming|tcp-segmentation-offload):' | tr '\n' ' ')"

LD_PRELOAD="$preload" dpdk-testpmd --no-pci --no-huge -m 1024 --no-shconf --file-prefix=$tag -l 0,1 \
  -d "$PMD" --vdev "net_mlx5x0,wire=iface,iface=${tag}p0,dev_mode=inline" \
  --vdev "net_mlx5x1,wire=iface,iface=${tag}p1,dev_mode=inline" \
  --log-level=pmd.net.mlx5x:info -- \
  --forward-mode=io --stats-period 1 --total-num-mbufs=16384 \
  --no-flush-rx >"$log" 2>&1 </dev/null &
tp=$!
for i in $(seq 50); do grep -q "Port statistics" "$log" && break; sleep 0.2; done
grep -q "Port statistics" "$log" || fail "testpmd did not start"

ip netns exec $ns1 ping -c 5 -i 0.2 -W 2 10.231.0.2 >/dev/null || fail "ping"
echo "ok   ping 10.231.0.1 -> 10.231.0.2 through two mlx5x ports"

# UDP: 2000 datagrams of 1000 bytes at a modest rate; every one must arrive.
cat > /tmp/$tag-udp.py <<'PY'
import hashlib, socket, sys, time
role = sys.argv[1]
if role == "rx":
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    # the receiver is Python: give it a buffer the bursts cannot overrun
    s.setsockopt(socket.SOL_SOCKET, 33, 8 << 20)  # SO_RCVBUFFORCE
    s.bind(("10.231.0.2", 9999)); s.settimeout(5)
    h = hashlib.sha256(); n = 0
    try:
        while n < 2000:
            d, _ = s.recvfrom(2048); h.update(d); n += 1
    except socket.timeout:
        pass
    print(n, h.hexdigest())
else:
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    h = hashlib.sha256()
    for i in range(2000):
        d = bytes((i * 7 + k) & 0xff for k in range(1000))
        h.update(d); s.sendto(d, ("10.231.0.2", 9999))
        if i % 20 == 0: time.sleep(0.002)
    print(2000, h.hexdigest())
PY
ip netns exec $ns2 python3 /tmp/$tag-udp.py rx > /tmp/$tag-udp.rx &
rxp=$!; sleep 0.5
tx=$(ip netns exec $ns1 python3 /tmp/$tag-udp.py tx)
wait $rxp; rx=$(cat /tmp/$tag-udp.rx); rm -f /tmp/$tag-udp.*
[ "$tx" = "$rx" ] || fail "UDP: sent '$tx' received '$rx'"
echo "ok   UDP 2000 x 1000 B, sha256 ${tx#* }"

# TCP: 8 MiB, the sender's TSO/GSO and checksum offload as the kernel sets them.
cat > /tmp/$tag-tcp.py <<'PY'
import hashlib, socket, sys
if sys.argv[1] == "rx":
    s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("10.231.0.2", 9998)); s.listen(1); s.settimeout(20)
    c, _ = s.accept(); c.settimeout(20); h = hashlib.sha256(); n = 0
    while True:
        d = c.recv(65536)
        if not d: break
        h.update(d); n += len(d)
    print(n, h.hexdigest())
else:
    data = bytes((i * 31 + (i >> 8)) & 0xff for i in range(8 << 20))
    s = socket.create_connection(("10.231.0.2", 9998), timeout=20)
    s.sendall(data); s.close()
    print(len(data), hashlib.sha256(data).hexdigest())
PY
ip netns exec $ns2 python3 /tmp/$tag-tcp.py rx > /tmp/$tag-tcp.rx &
rxp=$!; sleep 0.5
tx=$(ip netns exec $ns1 timeout 60 python3 /tmp/$tag-tcp.py tx)
wait $rxp; rx=$(cat /tmp/$tag-tcp.rx); rm -f /tmp/$tag-tcp.*
[ -n "$tx" ] && [ "$tx" = "$rx" ] || fail "TCP: sent '$tx' received '$rx'"
echo "ok   TCP 8 MiB, sha256 ${tx#* }"
# With the sender's offloads on, TSO super-frames and partial checksums
# reached the wire and were finished there.
if ip netns exec $ns1 ethtool -k ${tag}n0 2>/dev/null | grep -q "^tcp-segmentation-offload: on"; then
  grep -q "segmenting GSO frames" "$log" || fail "TSO is on but no GSO frame was segmented"
  echo "ok   GSO frames from the kernel were segmented by the wire"
fi
grep -q "completing partial checksums" "$log" && echo "ok   partial checksums from the kernel were completed"
kill -INT $tp; wait $tp; tp=
grep -E "RX-packets|TX-packets" "$log" | tail -2
exit 0
