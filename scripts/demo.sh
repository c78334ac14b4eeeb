# shellcheck shell=bash
# ./reader demo — stage 1: bring up the simulated hardware and read virtual cards end to end, printing what a
# clinic would see. (The full patient demo replaces this later.)

cmd_demo() {
  sim_up
  sim_card_env
  say "card placed on the reader (slot 0): reading the JPKI certificate, PIN status and the card face"
  say "照合番号B comes from the printed card front (the card-face camera's job; the simulator supplies it)"
  local code
  code="$(sim_card_code_b 0)" || die "no virtual card in slot 0"
  printf '%s\n' "$code" | run_device card info --face-code - --text --reader "Virtual PCD 00 00" || true
  echo
  local variant
  for variant in expired-certificate foreign unreadable; do
    say "another card is placed on the second reader: $variant"
    run_sim --socket "$READER_RUN/sim/control.sock" card insert --slot 1 --card "demo-$variant" --variant "$variant" >/dev/null
    _demo_wait_card 1
    run_device card info --text --reader "Virtual PCD 00 01" || true
    echo
  done
  run_sim --socket "$READER_RUN/sim/control.sock" card remove --slot 1 >/dev/null
  echo
  say "done; the simulated hardware keeps running (./reader sim status, ./reader sim down)"
}

_demo_wait_card() {
  local i
  for i in $(seq 1 50); do
    run_sim --socket "$READER_RUN/sim/control.sock" card list | tr -d '\n ' | grep -q "\"slot\":$1,[^}]*\"connected\":true" && { sleep 0.5; return 0; }
    sleep 0.2
  done
}
