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
exit $fail
