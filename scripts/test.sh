#!/usr/bin/env bash
# The README's second command: installs what is missing, builds, runs every
# test suite (or those named: unit integration kernel slow), and ends with
# one summary line. Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${MLX5X_BUILD_DIR:-build}
scripts/install-deps.sh
scripts/build.sh
suites=()
for s in "$@"; do suites+=(--suite "$s"); done
rc=0
meson test -C "$BUILD" --print-errorlogs --num-processes 2 "${suites[@]}" || rc=$?
python3 - "$BUILD/meson-logs/testlog.json" <<'PY'
import json, sys
res = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
count = lambda *r: sum(1 for t in res if t["result"] in r)
print(f"mlx5x tests: {count('OK','EXPECTEDFAIL')} passed, "
      f"{count('FAIL','TIMEOUT','ERROR','UNEXPECTEDPASS')} failed, {count('SKIP')} skipped")
PY
exit $rc
