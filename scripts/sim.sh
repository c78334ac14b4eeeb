# shellcheck shell=bash
# ./reader sim up|down|status — simulated hardware. Each part defines sim_part_<name>_up|_down|_status;
# other areas append theirs (SIM_PARTS+=(broker)). `up` runs the parts in order, `down` in reverse.
# pids and logs live under $READER_RUN/sim.

# Sourced after other parts may have appended theirs (alphabetical order): keep ours first.
SIM_PARTS=(pcscd card "${SIM_PARTS[@]}")

cmd_sim() {
  local action="${1:-status}"
  case "$action" in
    up) sim_up ;;
    down) sim_down ;;
    status) sim_status ;;
    *) die "usage: ./reader sim up|down|status" ;;
  esac
}

sim_up() {
  ensure_base
  ensure_build
  mkdir -p "$READER_RUN/sim"
  local part
  for part in "${SIM_PARTS[@]}"; do "sim_part_${part}_up"; done
}

sim_down() {
  local i
  for ((i = ${#SIM_PARTS[@]} - 1; i >= 0; i--)); do "sim_part_${SIM_PARTS[$i]}_down"; done
}

sim_status() {
  local part
  for part in "${SIM_PARTS[@]}"; do "sim_part_${part}_status"; done
}

# _sim_alive <pidfile> — the process recorded there is still running.
_sim_alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

# _sim_stop <pidfile> <name> — TERM, wait up to 10 s, then KILL; only the process we recorded.
_sim_stop() {
  local pidfile="$1" name="$2" pid i
  if ! _sim_alive "$pidfile"; then rm -f "$pidfile"; return 0; fi
  pid="$(cat "$pidfile")"
  kill -TERM "$pid" 2>/dev/null || true
  for i in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
  rm -f "$pidfile"
  say "$name stopped"
}

# A pcscd answers on the standard socket. The socket file alone proves nothing (a killed pcscd leaves it, and
# opensc-tool -l exits 0 with "No smart card readers found"): the daemon recorded in its pid file must be alive.
_pcscd_answers() {
  [ -S /run/pcscd/pcscd.comm ] && [ -f /run/pcscd/pcscd.pid ] && kill -0 "$(cat /run/pcscd/pcscd.pid)" 2>/dev/null \
    && timeout 5 opensc-tool -l >/dev/null 2>&1
}

_vpcd_listening() { grep -q ":$(printf '%04X' "$1") 00000000:0000 0A" /proc/net/tcp /proc/net/tcp6 2>/dev/null; }

sim_part_pcscd_up() {
  local pidfile="$READER_RUN/sim/pcscd.pid"
  if _sim_alive "$pidfile"; then return 0; fi
  if _pcscd_answers && _vpcd_listening 35963; then
    if pgrep -a -x pcscd | grep -q -e '--auto-exit' -e ' -x'; then
      say "pcscd: the running daemon uses --auto-exit and would drop vpcd after 60 s idle; stop it (systemctl stop pcscd.socket pcscd) and run ./reader sim up again"
    else
      say "pcscd: reusing the running daemon"
    fi
    return 0
  fi
  _pcscd_answers && die "a pcscd is running without the vpcd reader (install vsmartcard-vpcd and restart it)"
  # Our own reader.conf: vpcd on 35963/35964 through the driver that answers PC/SC part 10 like a CCID contactless
  # reader (extended APDUs up to 65536 bytes); the plain vpcd driver when it cannot be built (no C compiler).
  local conf="$READER_RUN/sim/reader.conf.d" driver
  driver="$(run_sim vpcd-driver 2>/dev/null)" || driver=/usr/lib/pcsc/drivers/serial/libifdvpcd.so
  mkdir -p "$conf"
  printf 'FRIENDLYNAME "Virtual PCD"\nDEVICENAME   /dev/null:0x8C7B\nLIBPATH      %s\nCHANNELID    0x8C7B\n' "$driver" >"$conf/vpcd"
  say "pcscd: starting (foreground mode, no --auto-exit; reader driver $(basename "$driver"))"
  READER_VPCD_MAX_APDU_DATA=65536 pcscd -f -c "$conf" >"$READER_RUN/sim/pcscd.log" 2>&1 &
  echo $! >"$pidfile"
  local i
  for i in $(seq 1 75); do _vpcd_listening 35963 && return 0; sleep 0.2; done
  die "pcscd did not start (see $READER_RUN/sim/pcscd.log)"
}

sim_part_pcscd_down() { _sim_stop "$READER_RUN/sim/pcscd.pid" pcscd; }

sim_part_pcscd_status() {
  if _sim_alive "$READER_RUN/sim/pcscd.pid"; then echo "pcscd: running (pid $(cat "$READER_RUN/sim/pcscd.pid"), ours)"
  elif _pcscd_answers; then echo "pcscd: running (not started by ./reader)"
  else echo "pcscd: stopped"; fi
}

sim_part_card_up() {
  local pidfile="$READER_RUN/sim/card.pid" sock="$READER_RUN/sim/control.sock"
  if _sim_alive "$pidfile"; then return 0; fi
  say "sim: starting virtual cards (vpcd slots 35963/35964, default card in slot 0)"
  # dotnet itself in the background (not a shell function), so the recorded pid is the daemon's.
  dotnet "$(dll_of Reader.HardwareSim reader-sim)" --socket "$sock" serve --ca-dir "$READER_RUN/sim/ca" >"$READER_RUN/sim/card.log" 2>&1 &
  echo $! >"$pidfile"
  local i
  for i in $(seq 1 150); do
    if [ -S "$sock" ] && run_sim --socket "$sock" card list 2>/dev/null | grep -q '"connected": true'; then return 0; fi
    _sim_alive "$pidfile" || die "sim daemon exited (see $READER_RUN/sim/card.log)"
    sleep 0.2
  done
  die "the virtual card did not connect to vpcd (see $READER_RUN/sim/card.log)"
}

sim_part_card_down() { _sim_stop "$READER_RUN/sim/card.pid" "sim cards"; }

sim_part_card_status() {
  if _sim_alive "$READER_RUN/sim/card.pid"; then
    echo "cards: running (pid $(cat "$READER_RUN/sim/card.pid")), control $READER_RUN/sim/control.sock"
    run_sim --socket "$READER_RUN/sim/control.sock" card list | grep -E '"(slot|cardId|variant|connected)"' | paste -sd' ' | sed 's/  */ /g'
  else
    echo "cards: stopped"
  fi
}

# sim_card_env — when the sim runs, trust its test card-face CA (dev convenience; never on a device).
sim_card_env() {
  [ -n "${READER__Card__CardFaceIssuerKeys__0__KeyId:-}" ] && return 0
  _sim_alive "$READER_RUN/sim/card.pid" || return 0
  local json
  json="$(run_sim --socket "$READER_RUN/sim/control.sock" card issuer 2>/dev/null)" || return 0
  READER__Card__CardFaceIssuerKeys__0__KeyId="$(sed -n 's/.*"keyId": "\(.*\)".*/\1/p' <<<"$json")"
  READER__Card__CardFaceIssuerKeys__0__PublicKey="$(sed -n 's/.*"publicKey": "\(.*\)".*/\1/p' <<<"$json")"
  export READER__Card__CardFaceIssuerKeys__0__KeyId READER__Card__CardFaceIssuerKeys__0__PublicKey
}

# sim_camera_env — when the sim's cameras serve, name them as the reader's cameras (network cameras on loopback): src/
# defaults to the board's V4L2 nodes and knows no simulator port. An explicit READER__…__Source wins.
sim_camera_env() {
  local port="${SIM_CAMERA_PORT:-35970}"
  _sim_alive "$READER_RUN/sim/card.pid" || return 0
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || return 0
  : "${READER__Camera__Source:=http://127.0.0.1:$port/camera/stream.mjpeg}"
  : "${READER__CardFaceCamera__Source:=http://127.0.0.1:$port/cardface/stream.mjpeg}"
  export READER__Camera__Source READER__CardFaceCamera__Source
}

# sim_card_code_b [slot] — 照合番号B of the card in a slot, as the card-face camera would read it.
sim_card_code_b() { run_sim --socket "$READER_RUN/sim/control.sock" card printed --slot "${1:-0}" --code-b; }
