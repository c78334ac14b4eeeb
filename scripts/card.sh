# shellcheck shell=bash
# My Number Card area: apt packages, `./reader card …` and `./reader bench card`.

ensure_area_card() {
  # gcc + libc6-dev: the sim builds its part-10 vpcd driver wrapper (hardware-sim/Pcscd/vpcd-part10.c).
  ensure_apt pcscd libpcsclite1 vsmartcard-vpcd opensc pcsc-tools util-linux gcc libc6-dev
}

# ./reader card info [--face-code B|-] [--reader NAME] [--text] — reads the card in the reader (real or simulated).
cmd_card() {
  ensure_base
  ensure_build
  sim_card_env
  run_device card "$@"
}

# ./reader bench card [--iterations N] — our client vs pkcs15-tool on the same virtual card (bench/Card); last line JSON.
bench_card() {
  sim_up >&2
  sim_card_env
  local code
  code="$(sim_card_code_b 0)" || die "no virtual card in slot 0"
  printf '%s\n' "$code" | dotnet "$(dll_of Reader.Card.Bench reader-card-bench)" --face-code - "$@"
}
