# shellcheck shell=bash
# Card-face reading (照合番号B by OCR, src/Device/CardFace) and the `ocr` verbs. The product's engine is PP-OCRv4 on
# ONNX Runtime (its model comes with the face models, models/models.json); Tesseract 5 from Debian is the measured
# alternative (--engine tesseract), installed so both can be compared and tested.
#   ./reader ocr eval [--n N] [--seed S] [--effects …]   rendered card faces (the simulator's renderer), last line JSON
#   ./reader ocr eval --labels FILE                        any labelled folder of card-face photos
#   ./reader ocr read IMAGE                                one photo: fields, confidence, gate, the 照合番号B it would send
# All three run bench/CardFace (reader-cardface-bench), never part of a bundle.
# Only definitions here: ./reader sources every script.

APT_OCR=(libtesseract5 tesseract-ocr-jpn tesseract-ocr-eng fonts-noto-cjk)

ensure_area_ocr() {
  ensure_apt "${APT_OCR[@]}"
}

_ocr_bench() { dotnet "$(dll_of Reader.CardFace.Bench reader-cardface-bench)" "$@"; }

cmd_ocr() {
  ensure_base
  ensure_build
  local verb="${1:-}"
  case "$verb" in
    read) READER_MODELS="$VISION_MODELS" _ocr_bench "$@" ;;
    eval)
      if printf '%s\n' "$@" | grep -qx -- '--labels'; then READER_MODELS="$VISION_MODELS" _ocr_bench "$@"; else shift; READER_MODELS="$VISION_MODELS" _ocr_bench eval-rendered "$@"; fi ;;
    *) die "usage: ./reader ocr eval [--n N] [--seed S] [--effects …] | ocr eval --labels FILE | ocr read IMAGE" ;;
  esac
}
