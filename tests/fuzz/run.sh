#!/usr/bin/env bash
# `tests/fuzz/run.sh seeds [BUILD_DIR]` rewrites seeds/ from the built
# corpus objects instead (tests/fuzz/make_seeds.c).
#
# Builds the verifier's libFuzzer harness (clang, address and undefined
# sanitizers) over lib/xdp_compat and runs it for a bounded time from the
# checked-in seed corpus. Usage: tests/fuzz/run.sh [SECONDS] [BUILD_DIR]
# Exit status: libFuzzer's (non-zero when it found a crash; the input is
# left in BUILD_DIR/fuzz/ as crash-*).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
if [ "${1:-}" = seeds ]; then
  b=${2:-$root/build}
  # shellcheck disable=SC2046
  cc -O1 -D_GNU_SOURCE -I"$root/lib/xdp_compat" $(pkg-config --cflags libdpdk) \
    "$here/make_seeds.c" -o "$b/make_seeds" -L"$b/lib/xdp_compat" \
    -lxdp_compat -Wl,-rpath,"$b/lib/xdp_compat"
  rm -f "$here"/seeds/*.bin
  exec "$b/make_seeds" "$here/seeds" "$b"/tests/xdp/corpus_*.o \
    "$b"/tests/xdp/verify_neg_*.o "$b"/app/testpmd-xdp/progs/*.o
fi
secs=${1:-60}
out=${2:-$root/build}/fuzz
sdk=${MLX5X_DPDK_SDK:-/usr/local/include/dpdk-driver-sdk}
mkdir -p "$out/new"
# shellcheck disable=SC2046
clang -std=c11 -D_GNU_SOURCE -g -O1 -fno-omit-frame-pointer \
  -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
  -Wall -Wno-format-nonliteral \
  -I"$root/lib/xdp_compat" -isystem "$sdk" $(pkg-config --cflags libdpdk libbpf) \
  "$root"/lib/xdp_compat/*.c "$here/fuzz_verify.c" \
  $(pkg-config --libs libdpdk libbpf) -lelf -lpthread \
  -o "$out/fuzz_verify"
cd "$out"
# new inputs go to new/, the seeds stay as checked in
# -error_exitcode: libFuzzer's default, 77, reads as "skipped" to meson
# -timeout: a seed that loops to the verifier's 1M-instruction limit takes
# about 10 s under the sanitizers on a 2-vCPU machine (more while CI's
# other tests run); a hang still shows, just later
exec ./fuzz_verify -max_total_time="$secs" -timeout=40 -rss_limit_mb=4096 \
  -error_exitcode=1 \
  -max_len=4096 -print_final_stats=1 new "$here/seeds"
