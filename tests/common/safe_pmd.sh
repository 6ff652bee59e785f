# Sourced by the tests that give stock dpdk-testpmd our PMD with -d.
# EAL refuses to load a -d plugin from under a world-writable directory
# (it checks every parent, so any path under /tmp): safe_pmd prints a path
# it will load, a private copy in $HOME when needed.
safe_pmd() {
  local d=$1 p
  p=$(dirname "$(readlink -f "$d")")
  while [ "$p" != / ]; do
    if [ -n "$(find "$p" -maxdepth 0 -perm -o+w 2>/dev/null)" ]; then
      local dst
      dst=$(mktemp -d -p "${HOME:-/root}" mlx5x-pmd.XXXXXX)
      cp "$d" "$dst/"
      echo "$dst/$(basename "$d")"
      return
    fi
    p=$(dirname "$p")
  done
  echo "$d"
}

# A PMD built with sanitizers needs their runtimes loaded first into the
# uninstrumented dpdk-testpmd: pmd_preload prints the LD_PRELOAD list.
pmd_preload() {
  local syms pre=
  syms=$(nm -D "$1" 2>/dev/null || true)
  if grep -q " U __asan_init" <<<"$syms"; then
    pre=$(cc -print-file-name=libasan.so)
  fi
  if grep -q " U __ubsan_handle" <<<"$syms"; then
    pre="$pre $(cc -print-file-name=libubsan.so)"
  fi
  echo $pre
}
