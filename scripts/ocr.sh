# shellcheck shell=bash
# Card-face reading (照合番号B by OCR, src/Device/CardFace): Tesseract 5 from Debian, and the `ocr` verbs.
#   ./reader ocr eval [--n N] [--seed S] [--effects …]   rendered card faces (reader-sim), last line JSON
#   ./reader ocr eval --labels FILE                        any labelled folder of card-face photos (reader-device)
#   ./reader ocr read IMAGE                                one photo: fields, confidence, gate, the 照合番号B it would send
# Only definitions here: ./reader sources every script.

APT_OCR=(libtesseract5 tesseract-ocr-jpn tesseract-ocr-eng fonts-noto-cjk)

ensure_area_ocr() {
  ensure_apt "${APT_OCR[@]}"
}

cmd_ocr() {
  ensure_base
  ensure_build
  local verb="${1:-}"
  case "$verb" in
    read) run_device ocr "$@" ;;
    eval)
      if printf '%s\n' "$@" | grep -qx -- '--labels'; then run_device ocr "$@"; else run_sim ocr "$@"; fi ;;
    *) die "usage: ./reader ocr eval [--n N] [--seed S] [--effects …] | ocr eval --labels FILE | ocr read IMAGE" ;;
  esac
}
