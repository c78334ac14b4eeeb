# shellcheck shell=bash
# ./reader bench <area> — each area defines bench_<area> in its own script.

cmd_bench() {
  local area="${1:-}"
  [ -n "$area" ] || die "usage: ./reader bench <$(declare -F | awk '{print $3}' | grep '^bench_' | sed 's/^bench_//' | paste -sd'|')>"
  shift
  declare -F "bench_$area" >/dev/null || die "no benchmark for '$area'"
  ensure_base
  ensure_build
  "bench_$area" "$@"
}
