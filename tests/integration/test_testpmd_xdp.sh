#!/usr/bin/env bash
# testpmd-xdp on an mlx5x port: the JSON totals are exact packet counts
# (a generator stopped at a known count), the per-action sums hold, and
# bad options end with a clear message and a non-zero exit.
set -uo pipefail
APP=$1; PMD=$2
EAL="--no-pci --no-huge -m 1024 --no-shconf --file-prefix=txp$$ -l 0,1 --log-level=lib.eal:warning"
: "$PMD" # testpmd-xdp links the PMD; the argument keeps the build dependency
json=$(mktemp); out=$(mktemp)
trap 'rm -f "$json" "$out"' EXIT
fail=0
check() { if eval "$2"; then echo "ok   $1"; else echo "FAIL $1"; cat "$out"; fail=1; fi; }

for fwd in rxonly io macswap; do
  "$APP" $EAL --vdev "net_mlx5x0,wire=gen,gen_count=200000,gen_flows=8,dev_mode=inline" \
    -- --fwd $fwd --duration 2 --interval 0.5 --json "$json" >"$out" 2>&1
  rc=$?
  check "$fwd: exit 0" '[ $rc = 0 ]'
  check "$fwd: JSON totals exact" "python3 - '$json' '$fwd' <<'PY'
import json, sys
d = json.load(open(sys.argv[1])); t = d['summary']['totals']
want = {'rxonly': 'drop', 'io': 'tx', 'macswap': 'tx'}[sys.argv[2]]
ok = t['rx'] == 200000 and t[want] == 200000 and d['summary']['errors'] == 0
ok = ok and sum(t[k] for k in t if k != 'rx') + d['summary']['errors'] == t['rx']
ok = ok and d['config']['fwd'] == sys.argv[2] and len(d['samples']) >= 3
ok = ok and d['config']['ports'][0]['name'] == 'net_mlx5x0'
sys.exit(0 if ok else 1)
PY"
  check "$fwd: live table and summary printed" 'grep -q "rx = drop + pass + tx + redirect + aborted + error: 200000 = 200000 (ok)" "$out"'
done

"$APP" $EAL --vdev net_mlx5x0,wire=gen -- --fwd bogus >"$out" 2>&1
rc=$?
check "bad --fwd refused" '[ $rc = 2 ] && grep -q "fwd bogus: expected rxonly, io or macswap" "$out"'
"$APP" $EAL --vdev net_mlx5x0,wire=gen -- --ports 7 >"$out" 2>&1
rc=$?
check "bad --ports refused" '[ $rc = 2 ] && grep -q "ports 7: not a list of existing port ids" "$out"'
"$APP" $EAL --vdev net_mlx5x0,wire=gen -- --no-such-option >"$out" 2>&1
rc=$?
check "unknown option refused" '[ $rc = 2 ] && grep -q "unknown or incomplete option --no-such-option" "$out"'
"$APP" $EAL -- --fwd io >"$out" 2>&1
rc=$?
check "no port: clear message" '[ $rc = 2 ] && grep -q "no ports: give EAL --vdev" "$out"'
# XDP in generic mode: the bundled action selector, exact counts.
PROGS=$(dirname "$APP")/progs
CORPUS=$(dirname "$APP")/../../tests/xdp
for mode in native generic; do
for act in 1:drop 2:pass 3:tx; do
  n=${act%%:*}; name=${act##*:}
  "$APP" $EAL --vdev "net_mlx5x0,wire=gen,gen_count=50000,dev_mode=inline" \
    -- --xdp "$PROGS/xdp_bench.o" --set action=$n --mode $mode --duration 2 \
    --interval 0.5 --json "$json" >"$out" 2>&1
  rc=$?
  check "xdp $mode action=$n: exit 0" '[ $rc = 0 ]'
  check "xdp $mode action=$n: every frame counted as $name" "python3 - '$json' $name $mode <<'PY'
import json, sys
d = json.load(open(sys.argv[1])); t = d['summary']['totals']; e = d['summary']['errors']
ok = t['rx'] == 50000 and t[sys.argv[2]] + (e if sys.argv[2] == 'tx' else 0) == 50000
ok = ok and d['config']['program'] == 'xdp_bench' and d['config']['mode'] == sys.argv[3]
sys.exit(0 if ok else 1)
PY"
done
done
"$APP" $EAL --vdev net_mlx5x0,wire=gen -- --xdp /nonexistent.o >"$out" 2>&1
rc=$?
check "missing object refused" '[ $rc = 1 ] && grep -q "/nonexistent.o" "$out"'
"$APP" $EAL --vdev net_mlx5x0,wire=gen -- --xdp "$PROGS/xdp_bench.o" --set nosuch=1 >"$out" 2>&1
rc=$?
check "unknown global refused" '[ $rc = 2 ] && grep -q "set nosuch=1: no such global" "$out"'
"$APP" $EAL --vdev net_mlx5x0,wire=gen -- --xdp "$PROGS/xdp_bench.o:nosuch" >"$out" 2>&1
rc=$?
check "unknown program refused" '[ $rc = 1 ] && grep -q "no program nosuch" "$out"'

# prog-run: no EAL, one packet
pkt=$(mktemp)
printf '\x02\x00\x00\x00\x00\x01\x02\x00\x00\x00\x00\x02\x08\x00' >"$pkt"
head -c 50 /dev/zero >>"$pkt"
"$APP" prog-run "$PROGS/xdp_tx.o" --data-in "$pkt" --data-out "$json" --repeat 100 >"$out" 2>&1
rc=$?
check "prog-run: XDP_TX and swapped MACs" '[ $rc = 0 ] && grep -q "^retval: 3 (XDP_TX)" "$out" && grep -q "^size: 64" "$out" && grep -q "^duration: [0-9]* ns" "$out" && [ "$(head -c 6 "$json" | od -An -tx1 | tr -d " ")" = 020000000002 ]'
"$APP" prog-run "$PROGS/xdp_bench.o" --set action=1 --data-in "$pkt" --map-dump >"$out" 2>&1
rc=$?
check "prog-run: --set and --map-dump" '[ $rc = 0 ] && grep -q "^retval: 1 (XDP_DROP)" "$out" && grep -q "\"name\": \"stats\"" "$out"'
"$APP" prog-run "$pkt" --data-in "$pkt" >"$out" 2>&1
rc=$?
check "prog-run: not an ELF object" '[ $rc = 1 ] && grep -q "not an ELF object" "$out"'
"$APP" prog-run "$CORPUS/verify_neg_pkt_off_by_one.o" --data-in "$pkt" >"$out" 2>&1
rc=$?
check "prog-run: the verifier's refusal names instruction, source line, rule and registers" '[ $rc = 1 ] && grep -q "program neg: instruction 5 (verify_neg.c:[0-9]*: return ((volatile __u8 \*)data)\[ETH_HLEN\]" "$out" && grep -q "read of 1 bytes at offset 14, but only 14 bytes are proven inside data_end" "$out" && grep -q "R2=pkt(off=14,var=0,r=14)" "$out"'
trunc=$(mktemp --suffix=.o)
head -c 700 "$PROGS/xdp_tx.o" >"$trunc"
"$APP" prog-run "$trunc" --data-in "$pkt" >"$out" 2>&1
rc=$?
check "prog-run: truncated ELF" '[ $rc = 1 ] && grep -q "$trunc" "$out"'
rm -f "$trunc"
"$APP" prog-run "$CORPUS/unit_extern.o" --data-in "$pkt" >"$out" 2>&1
rc=$?
check "prog-run: relocation to a missing symbol" '[ $rc = 1 ] && grep -q "unit_extern.o: program wants_extern: instruction 0: relocation to missing_limit, which is undefined" "$out"'
"$APP" prog-run "$CORPUS/unit_nohelper.o" --data-in "$pkt" >"$out" 2>&1
rc=$?
check "prog-run: unknown helper" '[ $rc = 1 ] && grep -q "instruction [0-9]* calls helper bpf_tcp_gen_syncookie (id 110)" "$out"'
# Generic XDP on other PMDs: net_pcap (a known input, XDP_TX written to
# the output file with the MACs swapped) and net_null (every frame dropped)
inpcap=$(mktemp --suffix=.pcap); outpcap=$(mktemp --suffix=.pcap)
python3 - "$inpcap" <<'PY'
import struct, sys
pk = bytes.fromhex('020000000001020000000002080045000030000000004011'
                   '00000a0000010a000064') + bytes(34)
with open(sys.argv[1], 'wb') as f:
    f.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
    for i in range(1000):
        f.write(struct.pack('<IIII', i, 0, len(pk), len(pk)) + pk)
PY
"$APP" --no-pci --no-huge -m 512 --no-shconf --file-prefix=txpc$$ -l 0,1 \
  --vdev "net_pcap0,rx_pcap=$inpcap,tx_pcap=$outpcap" -- \
  --xdp "$PROGS/xdp_tx.o" --duration 1 --json "$json" >"$out" 2>&1
rc=$?
check "generic XDP on net_pcap: 1000 in, 1000 XDP_TX out, MACs swapped" "[ $rc = 0 ] && python3 - '$json' '$outpcap' <<'PY'
import json, sys
d = json.load(open(sys.argv[1])); t = d['summary']['totals']
o = open(sys.argv[2], 'rb').read()
ok = t['rx'] == 1000 and t['tx'] == 1000 and d['config']['mode'] == 'generic'
ok = ok and len(o) == 24 + 1000 * (16 + 68)
ok = ok and o[40:52].hex() == '020000000002020000000001'
sys.exit(0 if ok else 1)
PY"
# --map-update before the run, --map-dump after: the per-CPU stats hold
# exactly the 1000 frames (60 bytes each) under XDP_DROP, and the entry
# set from the command line is there on every CPU
"$APP" --no-pci --no-huge -m 512 --no-shconf --file-prefix=txpm$$ -l 0,1 \
  --vdev "net_pcap0,rx_pcap=$inpcap" -- --xdp "$PROGS/xdp_bench.o" --set action=1 \
  --map-update stats 3=hex:05000000000000000700000000000000 --map-dump stats \
  --duration 1 >"$out" 2>&1
rc=$?
check "--map-update and --map-dump" "[ $rc = 0 ] && python3 - '$out' <<'PY'
import json, sys
t = open(sys.argv[1]).read()
d = json.loads(t[t.index('{\"maps\"'):])
e = {x['key']: x['value'] for x in d['maps'][0]['entries']}
def total(v, off):
    return sum(int.from_bytes(bytes.fromhex(c.split(':')[1][off:off + 16]), 'little')
               for c in v.split())
ok = d['maps'][0]['name'] == 'stats'
ok = ok and total(e['01000000'], 0) == 1000 and total(e['01000000'], 16) == 68000
ok = ok and all(c.endswith(':05000000000000000700000000000000') for c in e['03000000'].split())
sys.exit(0 if ok else 1)
PY"
# xdp_redirect: port 0's 1000 frames out of port 1 (a loop wire), where
# the program passes them (no entry for port 1)
"$APP" --no-pci --no-huge -m 1024 --no-shconf --file-prefix=txpr$$ -l 0,1 \
  --vdev "net_mlx5x0,wire=gen,gen_count=1000,dev_mode=inline" \
  --vdev "net_mlx5x1,wire=loop,dev_mode=inline" -- \
  --xdp "$PROGS/xdp_redirect.o" --map-update tx_port 1=2 --duration 1 \
  --json "$json" >"$out" 2>&1
rc=$?
check "xdp_redirect through a devmap between two ports" "[ $rc = 0 ] && python3 - '$json' <<'PY'
import json, sys
t = json.load(open(sys.argv[1]))['summary']['totals']
sys.exit(0 if t['rx'] == 2000 and t['redirect'] == 1000 and t['pass'] == 1000 else 1)
PY"
# --capture: the 1000 frames XDP passes, byte for byte, in a pcap file
"$APP" --no-pci --no-huge -m 512 --no-shconf --file-prefix=txpc2$$ -l 0,1 \
  --vdev "net_pcap0,rx_pcap=$inpcap" -- --xdp "$PROGS/xdp_bench.o" --set action=2 \
  --capture "$outpcap" --duration 1 >"$out" 2>&1
rc=$?
check "--capture: PASS frames in a pcap file" "[ $rc = 0 ] && grep -q 'captured 1000 frames' '$out' && python3 - '$inpcap' '$outpcap' <<'PY'
import struct, sys
def frames(path):
    d = open(path, 'rb').read(); o = 24; out = []
    while o < len(d):
        cap = struct.unpack('<IIII', d[o:o + 16])[2]
        out.append(d[o + 16:o + 16 + cap]); o += 16 + cap
    return out
a, b = frames(sys.argv[1]), frames(sys.argv[2])
sys.exit(0 if len(b) == 1000 and a == b else 1)
PY"
"$APP" --no-pci --no-huge -m 512 --no-shconf --file-prefix=txpe$$ -l 0,1 \
  --vdev "net_null0" -- --xdp "$PROGS/xdp_bench.o" --map-update stats 1=hex:01 \
  --duration 1 >"$out" 2>&1
rc=$?
check "--map-update: a value of the wrong size is refused, named" '[ $rc = 2 ] && grep -q "map-update stats 1=hex:01: value: 16 bytes (32 hex digits) expected" "$out"'
"$APP" --no-pci --no-huge -m 512 --no-shconf --file-prefix=txpn$$ -l 0,1 \
  --vdev "net_null0,size=64" -- --xdp "$PROGS/xdp_bench.o" --set action=1 \
  --duration 1 --json "$json" >"$out" 2>&1
rc=$?
check "generic XDP on net_null: every frame XDP_DROP" "[ $rc = 0 ] && python3 - '$json' <<'PY'
import json, sys
t = json.load(open(sys.argv[1]))['summary']['totals']
sys.exit(0 if t['rx'] > 10000 and t['drop'] == t['rx'] else 1)
PY"
# --mode native on a port without in-driver XDP: refused, named
"$APP" --no-pci --no-huge -m 512 --no-shconf --file-prefix=txpnn$$ -l 0,1 \
  --vdev "net_null0" -- --xdp "$PROGS/xdp_drop.o" --mode native --duration 1 >"$out" 2>&1
rc=$?
check "--mode native on net_null refused" '[ $rc = 1 ] && grep -q "port 0 (net_null0) has no in-driver XDP" "$out"'
# xdp_filter on a known pcap, on net_pcap (generic) and on an mlx5x pcap
# wire (native): 300 frames from the blocked 10.1.0.0/16 are dropped,
# 700 from 10.2.x.x passed, and the JSON counts say exactly that
python3 - "$inpcap" <<'PY'
import struct, sys
def frame(src):
    ip = bytes.fromhex('450000320000000040110000') + bytes(src) + bytes([10, 0, 0, 100])
    return bytes.fromhex('020000000001020000000002' '0800') + ip + bytes(30)
with open(sys.argv[1], 'wb') as f:
    f.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
    for i in range(1000):
        pk = frame([10, 1 if i % 10 < 3 else 2, i // 256, i % 256])
        f.write(struct.pack('<IIII', i, 0, len(pk), len(pk)) + pk)
PY
for vdev in "net_pcap0,rx_pcap=$inpcap" "net_mlx5x0,wire=pcap,rx_pcap=$inpcap,dev_mode=inline"; do
  "$APP" --no-pci --no-huge -m 1024 --no-shconf --file-prefix=txpf$$ -l 0,1 \
    --vdev "$vdev" -- --xdp "$PROGS/xdp_filter.o" \
    --map-update blocklist hex:100000000a010000=1 --map-dump verdicts \
    --duration 1 --json "$json" >"$out" 2>&1
  rc=$?
  check "xdp_filter on ${vdev%%,*}: 300 dropped, 700 passed" "[ $rc = 0 ] && python3 - '$json' '$out' '${vdev%%,*}' <<'PY'
import json, sys
d = json.load(open(sys.argv[1])); t = d['summary']['totals']
ok = t['rx'] == 1000 and t['drop'] == 300 and t['pass'] == 700
ok = ok and d['config']['mode'] == ('native' if 'mlx5x' in sys.argv[3] else 'generic')
o = open(sys.argv[2]).read(); m = json.loads(o[o.index('{\"maps\"'):])
v = {e['key']: e['value'] for e in m['maps'][0]['entries']}
pk = lambda s: sum(int.from_bytes(bytes.fromhex(c.split(':')[1][:16]), 'little') for c in s.split())
ok = ok and pk(v['00000000']) == 300 and pk(v['01000000']) == 700
sys.exit(0 if ok else 1)
PY"
done
# -i: a script at the prompt, traffic running: stats, a hot program swap,
# map dump, unload, a bad command; every frame still in one counter
P=$PROGS
(sleep 1; echo "show stats"; echo "xdp load $P/xdp_bench.o action=2"; sleep 0.5
 echo "map dump stats"; echo "xdp unload"; sleep 0.3; echo "xdp load $P/nosuch.o"
 echo "bogus"; echo "show xstats"; echo "quit") |
  "$APP" $EAL --vdev "net_mlx5x0,wire=gen,dev_mode=inline,gen_pps=200000" -- \
    --xdp "$PROGS/xdp_drop.o" -i --json "$json" >"$out" 2>&1
rc=$?
check "-i: load, unload, map dump, quit, counts conserved" "[ $rc = 0 ] && grep -q 'XDP program xdp_bench from' '$out' && grep -q 'xdp_bench verified: [0-9]* instructions, [0-9]* processed' '$out' && grep -q 'nosuch.o: No such file' '$out' && grep -q 'Command not found' '$out' && grep -q 'rx_q0_xdp_drop' '$out' && python3 - '$json' <<'PY'
import json, sys
d = json.load(open(sys.argv[1])); t = d['summary']['totals']
ok = t['drop'] > 0 and t['pass'] > 0
ok = ok and t['rx'] == sum(t[k] for k in t if k != 'rx') + d['summary']['errors']
sys.exit(0 if ok else 1)
PY"
# typed map fields from BTF: a blocklist key given by field names
# (prefix length and a dotted address), counters dumped by field name
"$APP" prog-run "$PROGS/xdp_filter.o" --data-in "$pkt" \
  --map-update blocklist '{prefixlen=8,addr=0.0.0.0}=1' --map-dump >"$out" 2>&1
rc=$?
check "typed --map-update and field names in --map-dump" "[ $rc = 0 ] && grep -q 'XDP_DROP' '$out' && python3 - '$out' <<'PY'
import json, sys
t = open(sys.argv[1]).read(); d = json.loads(t[t.index('{\"maps\"'):])
m = {x['name']: x['entries'] for x in d['maps']}
ok = m['blocklist'][0]['key_fields'] == {'prefixlen': 8, 'addr': '00000000'}
ok = ok and m['blocklist'][0]['value_fields'] == 1
v = m['verdicts'][0]
ok = ok and v['key_fields'] == 0 and list(v['value_fields'].values())[0]['packets'] == 1
sys.exit(0 if ok else 1)
PY"
"$APP" prog-run "$PROGS/xdp_filter.o" --data-in "$pkt" \
  --map-update blocklist '{prefixlen=8,adr=10.0.0.0}=1' >"$out" 2>&1
rc=$?
check "typed --map-update: an unknown field is named" '[ $rc = 2 ] && grep -q "no field adr (fields: prefixlen addr)" "$out"'
# bench: a small matrix writes the table, the JSON and the chart
bdir=$(mktemp -d)
"$APP" $EAL -- bench --cases drop,none --sizes 64,256 --seconds 0.3 --runs 1 \
  --out "$bdir/b" >"$out" 2>&1
rc=$?
check "bench: table, JSON (and chart)" "[ $rc = 0 ] && grep -q '^| drop | 64 | [0-9.]* | [0-9.]* |' '$bdir/b.md' && grep -q '^| no program | 256 | [0-9.]* | - |' '$bdir/b.md' && python3 - '$bdir/b.json' <<'PY'
import json, os, sys
d = json.load(open(sys.argv[1])); r = d['results']
ok = len(r) == 6 and all(x['mpps'] > 0 for x in r)
png = sys.argv[1][:-5] + '.png'
ok = ok and (os.path.getsize(png) > 10000 if os.path.exists('/usr/lib/python3/dist-packages/matplotlib') else True)
sys.exit(0 if ok else 1)
PY"
"$APP" $EAL -- bench --cases bogus >"$out" 2>&1
rc=$?
check "bench: unknown case refused" '[ $rc = 2 ] && grep -q "unknown case bogus" "$out"'
rm -rf "$bdir"
rm -f "$pkt" "$inpcap" "$outpcap"
# --devmem: queues bound to a memfd; every frame split, every token back
"$APP" $EAL --vdev "net_mlx5x0,wire=gen,gen_count=60000,gen_size=1500,gen_flows=8,dev_mode=inline" \
  -- --fwd rxonly --devmem 64 --queues 2 --duration 2 >"$out" 2>&1
rc=$?
check "devmem: exit 0" '[ $rc = 0 ]'
check "devmem: all split, all tokens back" 'grep -q "devmem port 0: 60000 split, 0 fallback, chunks delivered 60000, returned 60000, in flight 0, host bytes per frame 42.0, region bytes per frame 1458.0" "$out" && grep -q "60000 = 60000 (ok)" "$out"'
"$APP" $EAL --vdev "net_mlx5x0,wire=gen,gen_count=20000,gen_size=1500,dev_mode=inline" \
  -- --xdp "$PROGS/xdp_bench.o" --set action=2 --devmem 32 --duration 2 >"$out" 2>&1
rc=$?
check "devmem + native XDP (pass): split under the program" '[ $rc = 0 ] && grep -q "devmem port 0: 20000 split, 0 fallback, chunks delivered 20000, returned 20000, in flight 0" "$out"'
"$APP" $EAL --vdev net_mlx5x0,wire=gen -- --fwd io --devmem 8 >"$out" 2>&1
rc=$?
check "devmem with --fwd io refused" '[ $rc = 2 ] && grep -q "devmem: split frames carry an unreadable payload segment" "$out"'

exit $fail
