# shellcheck shell=bash
# Proof of reliability (issue 14): soak, chaos, fleet and the privacy scan. Each runs a whole clinic on loopback with
# private daemons on free ports (no standard port, so no lock is needed) from tests/Reader.Reliability.Tests, the
# same code its tests run at CI size. Progress goes to stderr; the last stdout line is one JSON object.

_reliability() {
  [ "$(id -u)" -eq 0 ] || die "the reliability rigs start a private pcscd (mount namespace) and tmpfs mounts: run as root"
  dotnet "$(dll_of Reader.Reliability.Tests Reader.Reliability.Tests)" "$@"
}

# ./reader bench soak [--sessions N]   (default 10,000 face + PIN sessions)
bench_soak() { _reliability --bench soak "$@"; }

# ./reader bench chaos [--broker-outage S] [--kills N]
bench_chaos() { _reliability --bench chaos "$@"; }

# ./reader bench fleet [--readers N] [--results-per-reader N]
bench_fleet() { _reliability --bench fleet "$@"; }

# ./reader privacy-scan [--sessions N]   (default 100)
cmd_privacy_scan() {
  ensure_base
  ensure_build
  _reliability --privacy-scan "$@"
}
