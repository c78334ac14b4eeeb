# shellcheck shell=bash
# ./reader firmware … — signed RAUC bundles (firmware/README.md).
#   ./reader firmware bundle [--arch arm64|x64] [--version V] [--security-version N] [--rootfs IMG] [--format verity|plain] [--output F]
#       the device build (./reader build --arch …: self-contained, no runtime needed on the image) as the appfs image,
#       signed with the development keys (created on first use under $READER_CACHE/firmware/dev-keys; production signs
#       offline / with an HSM); then every ELF file in the bundle is checked to be for the target CPU.
#   ./reader firmware verify|install|status|mark-good …   → reader-firmware (see --help)
#   ./reader bench firmware   full verify beside `rauc info` alone (ratio); last line JSON.

ensure_area_firmware() {
  # rauc: bundles, verify, install; squashfs-tools: images and reading release.json; dbus: the tests' private bus.
  ensure_apt rauc squashfs-tools openssl dbus
}

_firmware_dll() { dll_of Reader.Firmware reader-firmware; }
run_firmware() { dotnet "$(_firmware_dll)" "$@"; }

_firmware_dev_keys() {
  local dir="$READER_CACHE/firmware/dev-keys"
  run_firmware dev-keys --dir "$dir" >/dev/null || die "cannot create development signing keys"
  echo "$dir"
}

cmd_firmware() {
  local sub="${1:-}"
  ensure_base
  ensure_build
  case "$sub" in
    bundle) shift; _firmware_bundle "$@" ;;
    *) run_firmware "$@" ;;
  esac
}

_firmware_bundle() {
  local arch=arm64 version="0.0.0-dev" security=0 rootfs="" format=verity output="" app="" elf_check=1
  while [ $# -gt 0 ]; do
    case "$1" in
      --arch) arch="$2"; shift 2 ;;
      --version) version="$2"; shift 2 ;;
      --security-version) security="$2"; shift 2 ;;
      --rootfs) rootfs="$2"; shift 2 ;;
      --format) format="$2"; shift 2 ;;
      --output) output="$2"; shift 2 ;;
      --app) app="$2"; shift 2 ;;   # an existing build folder (./reader build prints it)
      --no-elf-check) elf_check=0; shift ;;   # the caller counts them itself (./reader bench arm64)
      *) die "firmware bundle: unknown option $1" ;;
    esac
  done
  case "$arch" in arm64|x64) ;; *) die "--arch must be arm64 or x64" ;; esac
  local rid="linux-$arch"
  [ -n "$output" ] || output="$READER_CACHE/firmware/reader-$version-$rid.raucb"
  mkdir -p "$(dirname "$output")"
  if [ -z "$app" ]; then
    [ "$arch" = arm64 ] && ensure_arm64_emulation
    app="$(platform_build "$arch")" || die "the $rid build failed"
  fi
  local keys; keys="$(_firmware_dev_keys)"
  local images=(--image "appfs=$app")
  [ -n "$rootfs" ] && images+=(--image "rootfs=$rootfs")
  say "signing $output with the development keys (not for production)"
  run_firmware bundle --compatible "jp.clinic.reader/$rid" --version-string "$version" --security-version "$security" \
    "${images[@]}" --cert "$keys/signer.cert.pem" --key "$keys/signer.key.pem" --keyring "$keys/ca.cert.pem" \
    --format "$format" --output "$output" || return 1
  [ "$elf_check" -eq 1 ] || return 0
  local foreign; foreign="$(platform_elves_in_bundle "$output" "$arch")"
  if [ -n "$foreign" ]; then
    printf '%s\n' "$foreign" >&2
    rm -f "$output"
    die "the bundle held files not built for $rid (above): removed"
  fi
  say "every ELF file in the bundle is built for $rid"
}

# ./reader bench firmware — a few-MB verity bundle: FirmwareUpdater.VerifyAsync beside `rauc info` alone.
bench_firmware() {
  local work; work="$(mktemp -d)"
  local keys; keys="$(_firmware_dev_keys)"
  mkdir -p "$work/app" "$work/state"
  head -c $((8 * 1024 * 1024)) /dev/urandom > "$work/rootfs.img"
  cp "$READER_ROOT/models/models.json" "$work/app/"
  printf '[system]\ncompatible=jp.clinic.reader/bench\nbootloader=noop\n\n[keyring]\npath=%s\n' "$keys/ca.cert.pem" > "$work/system.conf"
  run_firmware bundle --compatible jp.clinic.reader/bench --version-string 1.0.0 --security-version 1 \
    --image "rootfs=$work/rootfs.img" --image "appfs=$work/app" --cert "$keys/signer.cert.pem" --key "$keys/signer.key.pem" \
    --keyring "$keys/ca.cert.pem" --output "$work/bench.raucb" >/dev/null || { rm -rf "$work"; die "cannot build the bench bundle"; }
  local rc=0
  run_firmware bench --conf "$work/system.conf" --state-dir "$work/state" --keyring "$keys/ca.cert.pem" --runs "${1:-7}" "$work/bench.raucb" || rc=$?
  rm -rf "$work"
  return "$rc"
}
