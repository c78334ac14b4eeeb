# shellcheck shell=bash
# Imaging area: codec libraries and the two shared test images (parity inputs for the vision tests).
# Only definitions here: ./reader sources every scripts/*.sh.

IMAGING_APT=(libturbojpeg0 libopenjp2-7 libopenjp2-tools libwebp7 libpng16-16)
READER_IMAGES="${READER_IMAGES:-$READER_CACHE/images}"
export READER_IMAGES

# name | Debian package | path inside the .deb (also tried with .gz) | sha256 of the image
IMAGING_TEST_IMAGES=(
  "astronaut.png|python3-skimage|./usr/lib/python3/dist-packages/skimage/data/astronaut.png|88431cd9653ccd539741b555fb0a46b61558b301d4110412b5bc28b5e3ea6cb5"
  "messi5.jpg|opencv-doc|./usr/share/doc/opencv-doc/examples/data/messi5.jpg|1d570e49654e84c7a943918537bd9e5e1ef82920152e147c834006e235be97c9"
)

ensure_area_imaging() {
  ensure_apt "${IMAGING_APT[@]}"
  local entry
  for entry in "${IMAGING_TEST_IMAGES[@]}"; do
    _imaging_fetch_image "$entry"
  done
}

# _imaging_fetch_image "name|package|path|sha256" — extracts one file from a package's .deb without
# installing the package (python3-skimage and opencv-doc are large and pull many dependencies).
_imaging_fetch_image() {
  local name pkg path sha
  IFS='|' read -r name pkg path sha <<<"$1"
  local dest="$READER_IMAGES/$name"
  if [ -f "$dest" ] && [ "$(sha256sum "$dest" | cut -d' ' -f1)" = "$sha" ]; then return 0; fi
  mkdir -p "$READER_IMAGES"
  local tmp; tmp="$(mktemp -d)"
  chmod 755 "$tmp"   # apt-get download drops to the _apt user when it can
  say "extracting $name from the Debian package $pkg"
  if ! (cd "$tmp" && apt-get download -qq "$pkg" >/dev/null 2>&1); then
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 || true
    (cd "$tmp" && apt-get download -qq "$pkg" >/dev/null 2>&1) || { rm -rf "$tmp"; die "apt-get download $pkg failed"; }
  fi
  local deb; deb="$(ls "$tmp"/*.deb)"
  local listing; listing="$(dpkg-deb --fsys-tarfile "$deb" | tar -t)"
  if grep -qxF "$path" <<<"$listing"; then
    dpkg-deb --fsys-tarfile "$deb" | tar -xO "$path" >"$tmp/$name"
  elif grep -qxF "$path.gz" <<<"$listing"; then
    dpkg-deb --fsys-tarfile "$deb" | tar -xO "$path.gz" | gzip -dc >"$tmp/$name"
  else
    rm -rf "$tmp"; die "$pkg holds neither $path nor $path.gz"
  fi
  local got; got="$(sha256sum "$tmp/$name" | cut -d' ' -f1)"
  if [ "$got" != "$sha" ]; then rm -rf "$tmp"; die "$name from $pkg: sha256 $got, expected $sha"; fi
  mv "$tmp/$name" "$dest"
  rm -rf "$tmp"
}

# ./reader bench imaging [--quick] — codec and pixel-op times beside raw libturbojpeg/libopenjp2
# calls and scalar peers, measured in one process; the last stdout line is one JSON object.
# The bench project (bench/Imaging) is part of Reader.sln, so `./reader bench` has built it already.
bench_imaging() {
  READER_IMAGES="$READER_IMAGES" dotnet "$(dll_of Reader.Imaging.Bench reader-imaging-bench)" "$@"
}
