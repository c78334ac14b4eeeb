# shellcheck shell=bash
# Platform area: the device build for the board (self-contained linux-arm64 publish: no .NET runtime on the image),
# the Debian arm64 libraries it loads (multiarch), qemu-user-static to run it here, the ELF check of what ships, and
# the C headers of both architectures that the ABI tests (NativeAbiTests) compile against.
#   ./reader build [--arch arm64|x64]   publish reader-device, reader-firmware and reader-terminal self-contained into
#                                       $READER_CACHE/build/linux-<arch>/app; prints the folder; fails if an ELF file is
#                                       for another CPU. The emulated tests also get reader-vision (vision/, evaluation
#                                       verbs) and reader-sim-reader (sim-reader/, the clinic test's simulated reader)
#                                       beside it: tools, never in the app folder or a bundle.
#   ./reader bench arm64                the same face decision under qemu beside x64 (sanity figure; last line JSON)
# Only definitions here: ./reader sources every scripts/*.sh.

# What a linux-arm64 build loads besides its own files: the .NET runtime's needs (glibc, libstdc++, ICU, OpenSSL,
# zlib) and the libraries our bindings and System.Device.Gpio open. Installed here only to run the build under qemu;
# on the board they come from the image (firmware/image/mkosi.conf).
PLATFORM_ARM64_APT=(libc6:arm64 libstdc++6:arm64 libgcc-s1:arm64 libicu72:arm64 libssl3:arm64 zlib1g:arm64
  libpcsclite1:arm64 libturbojpeg0:arm64 libopenjp2-7:arm64 libwebp7:arm64 libgpiod2:arm64)
# The headers NativeAbiTests compile with clang for x86_64 and aarch64 (syntax only: no cross toolchain).
PLATFORM_ABI_APT=(clang-14 libc6-dev linux-libc-dev libc6-dev:arm64 linux-libc-dev:arm64
  libpcsclite-dev libturbojpeg0-dev libopenjp2-7-dev libpng-dev)
# The applications of the device build: the service, the technician tool, the reference terminal.
PLATFORM_APPS=(src/Device/Reader.Device.csproj firmware/tools/Reader.Firmware.csproj src/Protocol/Terminal/Reader.Terminal.csproj)
PLATFORM_VISION_APP=bench/Vision/Reader.Vision.Bench.csproj
PLATFORM_SIM_READER_APP=hardware-sim/SimulatedReader/Reader.SimulatedReader.csproj

platform_build_dir() { echo "$READER_CACHE/build/linux-$1"; }

# ensure_arm64_multiarch — Debian's arm64 packages next to the machine's (dpkg --add-architecture arm64).
ensure_arm64_multiarch() {
  dpkg --print-foreign-architectures 2>/dev/null | grep -qx arm64 && return 0
  say "adding the arm64 architecture to dpkg (multiarch) for the board's libraries"
  as_root dpkg --add-architecture arm64 || die "dpkg --add-architecture arm64 failed"
  _apt_updated=0   # the next ensure_apt must see the arm64 package lists
}

# ensure_arm64_emulation — qemu-user-static and the arm64 libraries the build loads.
ensure_arm64_emulation() {
  ensure_arm64_multiarch
  ensure_apt qemu-user-static "${PLATFORM_ARM64_APT[@]}"
}

# platform_emulation_unavailable — empty when an arm64 program runs here under qemu, else why not.
platform_emulation_unavailable() {
  command -v qemu-aarch64-static >/dev/null 2>&1 || { echo "qemu-aarch64-static is not installed"; return 0; }
  [ -e /lib/ld-linux-aarch64.so.1 ] || { echo "the arm64 C library is not installed (libc6:arm64)"; return 0; }
  local out
  out="$(timeout 60 qemu-aarch64-static -L / /lib/ld-linux-aarch64.so.1 --version 2>&1 | head -1)" \
    || { echo "qemu-aarch64-static cannot start an arm64 program here: ${out:-no output}"; return 0; }
  return 0
}

# Run by ./reader test before the test projects: the ABI headers, the emulator, and the arm64 build the emulated
# tests run (READER_ARM64_BUILD). Where the arm64 build cannot be made, the emulated tests skip and say why.
ensure_test_platform() {
  # Each step in a subshell: a machine that cannot have arm64 packages still runs every other test (these skip, saying why).
  (ensure_arm64_multiarch && ensure_apt "${PLATFORM_ABI_APT[@]}") || say "the C headers of both architectures could not be installed: NativeAbiTests will skip"
  if ! (ensure_arm64_emulation); then
    say "arm64 emulation could not be installed: the emulated ARM64 tests will skip"
    return 0
  fi
  local app
  if app="$(platform_build arm64 --with-tools)"; then
    export READER_ARM64_BUILD="$app"
  else
    # Not a skip: a build that cannot be made for the board is a failure the tests report.
    export READER_ARM64_BUILD_FAILED="./reader build --arch arm64 failed (see the messages before the test run)"
  fi
}

# _platform_stamp_fresh <stamp> — true when nothing the build depends on changed since the stamp was written.
_platform_stamp_fresh() {
  [ -f "$1" ] && [ -z "$(find "$READER_ROOT/src" "$READER_ROOT/bench" "$READER_ROOT/firmware/tools" "$READER_ROOT/hardware-sim/SimulatedReader" "$READER_ROOT"/Directory.*.props \
    -newer "$1" -not -name '*.md' -not -path '*/bin/*' -not -path '*/obj/*' -print -quit 2>/dev/null)" ]
}

# platform_build <arm64|x64> [--with-tools] — self-contained publish (cached until a source changes); prints the
# app folder. --with-tools adds the emulated tests' tools beside it (vision/, sim-reader/). Every ELF file must be for
# the target CPU.
platform_build() {
  local arch="$1" with_tools=0
  shift
  [ "${1:-}" = "--with-tools" ] && with_tools=1
  case "$arch" in arm64|x64) ;; *) die "--arch must be arm64 or x64" ;; esac
  local rid="linux-$arch" dir; dir="$(platform_build_dir "$arch")"
  local stamp="$dir/.stamp" vision_stamp="$dir/.stamp-vision" sim_stamp="$dir/.stamp-sim-reader"
  if ! _platform_stamp_fresh "$stamp" || [ ! -x "$dir/app/reader-device" ]; then
    rm -rf "$dir/app" "$stamp" && mkdir -p "$dir/app"
    local project
    for project in "${PLATFORM_APPS[@]}"; do
      say "publishing $(basename "$project" .csproj) for $rid (self-contained)"
      _platform_publish "$project" "$rid" "$dir/app" || return 1
    done
    # The models travel as their manifest (paths + sha256); the image recipe places the files themselves.
    cp "$READER_ROOT/models/models.json" "$dir/app/models.json"
    touch "$stamp"
  fi
  if [ "$with_tools" -eq 1 ] && { ! _platform_stamp_fresh "$vision_stamp" || [ ! -x "$dir/vision/reader-vision" ]; }; then
    rm -rf "$dir/vision" "$vision_stamp" && mkdir -p "$dir/vision"
    say "publishing reader-vision for $rid (self-contained; evaluation verbs, not part of the bundle)"
    _platform_publish "$PLATFORM_VISION_APP" "$rid" "$dir/vision" || return 1
    touch "$vision_stamp"
  fi
  if [ "$with_tools" -eq 1 ] && { ! _platform_stamp_fresh "$sim_stamp" || [ ! -x "$dir/sim-reader/reader-sim-reader" ]; }; then
    rm -rf "$dir/sim-reader" "$sim_stamp" && mkdir -p "$dir/sim-reader"
    say "publishing reader-sim-reader for $rid (self-contained; the clinic test's simulated reader, not part of the bundle)"
    _platform_publish "$PLATFORM_SIM_READER_APP" "$rid" "$dir/sim-reader" || return 1
    touch "$sim_stamp"
  fi
  local foreign
  foreign="$(platform_foreign_elves "$dir" "$arch")"
  if [ -n "$foreign" ]; then
    printf '%s\n' "$foreign" >&2
    say "the $rid build holds ELF files for another CPU (above)"
    return 1
  fi
  echo "$dir/app"
}

_platform_publish() {
  local project="$1" rid="$2" out="$3"
  # Own artifacts folder: the RID-specific restore must not rewrite the x64 build's obj/ under a running test.
  dotnet publish "$READER_ROOT/$project" -c Release -r "$rid" --self-contained -p:UseAppHost=true \
    -p:DebugType=none -p:GenerateDocumentationFile=false \
    --artifacts-path "$READER_CACHE/build/artifacts" -o "$out" -nologo -v quiet >&2 \
    || { say "dotnet publish $project for $rid failed"; return 1; }
}

# platform_foreign_elves <folder> <arm64|x64> — every ELF file below the folder whose machine is not the target's,
# one per line (e_machine: 0xB7 aarch64, 0x3E x86-64).
platform_foreign_elves() {
  local dir="$1" want f head
  case "$2" in arm64) want=b7 ;; x64) want=3e ;; *) die "unknown architecture $2" ;; esac
  while IFS= read -r -d '' f; do
    head="$(od -An -tx1 -N20 "$f" 2>/dev/null | tr -d ' \n')"
    [ "${head:0:8}" = 7f454c46 ] || continue
    [ "${head:36:2}${head:38:2}" = "${want}00" ] || echo "$f"
  done < <(find "$dir" -type f -print0)
}

# platform_elves_in_bundle <bundle.raucb> <arm64|x64> — unpacks the signed bundle and every squashfs image in it and
# prints each ELF file not built for the target (nothing when all are). An image that is not squashfs is named.
platform_elves_in_bundle() {
  local bundle="$1" arch="$2" work img
  work="$(mktemp -d)"
  mkdir -p "$work/images"
  unsquashfs -q -n -d "$work/bundle" "$bundle" >/dev/null 2>&1 || { rm -rf "$work"; echo "$bundle: cannot be unpacked"; return 0; }
  for img in "$work"/bundle/*.img; do
    [ -f "$img" ] || continue
    if unsquashfs -q -n -d "$work/images/$(basename "$img" .img)" "$img" >/dev/null 2>&1; then
      rm -f "$img"
    else
      echo "$(basename "$img"): not a squashfs image, its files were not checked"
    fi
  done
  platform_foreign_elves "$work" "$arch" | sed "s|^$work/||"
  rm -rf "$work"
}

# ./reader build [--arch arm64|x64]
cmd_build() {
  local arch=arm64
  while [ $# -gt 0 ]; do
    case "$1" in
      --arch) [ $# -ge 2 ] || die "--arch needs arm64 or x64"; arch="$2"; shift ;;
      *) die "usage: ./reader build [--arch arm64|x64]" ;;
    esac
    shift
  done
  ensure_base
  [ "$arch" = arm64 ] && ensure_arm64_emulation
  platform_build "$arch" || die "the linux-$arch build failed"
}

# ./reader bench arm64 [--runs N] — the same decision (the golden pair) timed in one x64 process and in the arm64 build
# under qemu, with the arm64 embeddings' cosine to x64's and the count of non-aarch64 ELF files in the arm64 bundle.
bench_arm64() {
  ensure_arm64_emulation
  local why; why="$(platform_emulation_unavailable)"
  [ -z "$why" ] || die "arm64 emulation is not possible here: $why"
  local app; app="$(platform_build arm64 --with-tools)" || die "the arm64 build failed"
  local bundle; bundle="$(mktemp -d)/bench.raucb"
  _firmware_bundle --arch arm64 --version 0.0.0-bench --output "$bundle" --app "$app" --no-elf-check >&2 || die "cannot bundle the arm64 build"
  local foreign; foreign="$(platform_elves_in_bundle "$bundle" arm64)"
  rm -rf "$(dirname "$bundle")"
  ensure_vision_models
  READER_ARM64_BUILD="$app" READER_MODELS="$VISION_MODELS" \
    dotnet "$(dll_of Reader.Arm64.Tests Reader.Arm64.Tests)" --bench --elf-non-aarch64 "$(printf '%s' "$foreign" | grep -c . || true)" "$@"
}
