# shellcheck shell=bash
# The main job, on simulated hardware:
#   ./reader demo [--script NAME] [--screenshots DIR]
#                                   bring up a private clinic (pcscd + vpcd + virtual card, virtual camera, TLS
#                                   broker), pair the reader with the reference terminal, run the reader service and
#                                   the terminal's watch, let a scripted patient use the real kiosk page in headless
#                                   Chromium, tell what happened, and END with the terminal's verified result as one
#                                   JSON line. Everything started is stopped again.
#                                   --screenshots DIR: the patients walk every screen (DEMO_SCREENSHOT_SCRIPTS) at both
#                                   reader screen sizes, a PNG of each screen in DIR/1024x600 and DIR/800x480 (the
#                                   camera preview is blanked first: no frame is ever written).
#   ./reader demo --interactive     the same clinic, left running: the page at a printed URL for a person, the card,
#                                   camera and mode from a small console prompt.
#   ./reader bench session          card placed → result published with an instant patient (in-process service).
# Everything lives in $READER_RUN/demo (logs kept after the run). Only definitions here: ./reader sources every script.

DEMO_VPCD_DRIVER=/usr/lib/pcsc/drivers/serial/libifdvpcd.so
# The walk for --screenshots: between them every screen a patient meets (face-success last: its result ends the demo).
DEMO_SCREENSHOT_SCRIPTS="tour pin-lock-then-face refuse-all photo-then-call-staff visual-check face-success"
DEMO_SCREEN_SIZES="1024x600 800x480"
DEMO_PIDS=()

# ./reader sim up: the virtual patient camera is served by the sim daemon the card part starts (reader-sim serve,
# MJPEG on 127.0.0.1:35970); this part only waits for it and reports it.
SIM_PARTS+=(camera)
SIM_CAMERA_PORT=35970

sim_part_camera_up() {
  local i
  for i in $(seq 1 150); do
    _demo_listening "$SIM_CAMERA_PORT" && { say "camera: http://127.0.0.1:$SIM_CAMERA_PORT/camera/stream.mjpeg (reader-sim camera play live|photo|impostor|empty|dark|two-people)"; return 0; }
    sleep 0.2
  done
  die "the virtual camera is not serving on $SIM_CAMERA_PORT (see $READER_RUN/sim/card.log)"
}

sim_part_camera_down() { :; }

sim_part_camera_status() {
  if _demo_listening "$SIM_CAMERA_PORT"; then
    echo "camera: http://127.0.0.1:$SIM_CAMERA_PORT/camera/stream.mjpeg $(run_sim --socket "$READER_RUN/sim/control.sock" camera status 2>/dev/null | grep -E '"(scene|portrait|viewers)"' | paste -sd' ' | sed 's/  */ /g')"
  else
    echo "camera: stopped"
  fi
}

cmd_demo() {
  local interactive=0 script=face-success
  DEMO_RESULT=""
  DEMO_SCREENSHOTS=""
  while [ $# -gt 0 ]; do
    case "$1" in
      --interactive) interactive=1 ;;
      --script) [ $# -ge 2 ] || die "--script needs a name (reader-sim patient list)"; script="$2"; shift ;;
      --screenshots) [ $# -ge 2 ] || die "--screenshots needs a folder"; DEMO_SCREENSHOTS="$(realpath -m "$2")"; shift ;;
      *) die "usage: ./reader demo [--interactive] [--script NAME] [--screenshots DIR]" ;;
    esac
    shift
  done
  ensure_base
  ensure_build
  DEMO_DIR="$READER_RUN/demo"
  _demo_fresh_dir
  trap _demo_down EXIT
  trap 'exit 130' INT TERM
  _demo_hardware_up
  _demo_broker_up
  _demo_reader_up
  _demo_pair
  _demo_terminal_up
  if [ "$interactive" -eq 1 ]; then
    _demo_console
    return 0
  fi
  local status=0
  if [ -n "$DEMO_SCREENSHOTS" ]; then
    [ "$script" = face-success ] && script="$DEMO_SCREENSHOT_SCRIPTS"
    local size
    for size in $DEMO_SCREEN_SIZES; do
      rm -rf "${DEMO_SCREENSHOTS:?}/$size"
      _demo_patient "$script" "$size" "$DEMO_SCREENSHOTS/$size" || status=$?
    done
    echo "screenshots: $(find "$DEMO_SCREENSHOTS" -name '*.png' | wc -l) PNGs in $DEMO_SCREENSHOTS/{${DEMO_SCREEN_SIZES// /,}}"
  else
    _demo_patient "$script" || status=$?
  fi
  # Stop the clinic first, so the verified result is the very last line a person or a script sees.
  _demo_down
  if [ -z "$DEMO_RESULT" ]; then
    echo "terminal: no verified result arrived" >&2
    return 1
  fi
  printf '%s\n' "$DEMO_RESULT"
  return "$status"
}

# ---- the clinic -----------------------------------------------------------------------------------

_demo_fresh_dir() {
  _demo_stop_leftovers
  rm -rf "$DEMO_DIR"
  mkdir -p "$DEMO_DIR"/{pcscd/run,pcscd/conf,sim,logs,reader,terminal}
}

# A previous demo killed hard may have left processes: stop only those it recorded.
_demo_stop_leftovers() {
  local file="$DEMO_DIR/pids" pid
  [ -f "$file" ] || return 0
  while read -r pid; do
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && kill -TERM "$pid" 2>/dev/null
  done <"$file"
  sleep 1
}

_demo_track() {
  DEMO_PIDS+=("$1")
  echo "$1" >>"$DEMO_DIR/pids"
}

# Stops what the demo started, newest first: TERM, up to 15 s, then KILL.
_demo_down() {
  local i pid n
  trap - EXIT INT TERM
  [ ${#DEMO_PIDS[@]} -gt 0 ] || return 0
  say "stopping the demo clinic"
  for ((i = ${#DEMO_PIDS[@]} - 1; i >= 0; i--)); do
    pid="${DEMO_PIDS[$i]}"
    kill -0 "$pid" 2>/dev/null || continue
    kill -TERM "$pid" 2>/dev/null || true
    for n in $(seq 1 75); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    if kill -0 "$pid" 2>/dev/null; then
      say "process $pid did not stop within 15 s of SIGTERM: killed"
      kill -KILL "$pid" 2>/dev/null
    fi
    wait "$pid" 2>/dev/null || true
  done
  DEMO_PIDS=()
  rm -f "$DEMO_DIR/pids"
  say "logs: $DEMO_DIR/logs"
}

_demo_listening() { grep -q ":$(printf '%04X' "$1") 00000000:0000 0A" /proc/net/tcp /proc/net/tcp6 2>/dev/null; }

# _demo_free_port [count] — a loopback port (and the next count-1) nobody listens on.
_demo_free_port() {
  local count="${1:-1}" port i ok
  while true; do
    port=$((20000 + RANDOM % 30000))
    ok=1
    for ((i = 0; i < count; i++)); do _demo_listening $((port + i)) && ok=0; done
    [ "$ok" -eq 1 ] && { echo "$port"; return 0; }
  done
}

_demo_wait() { # _demo_wait <seconds> <what> <command...>
  local seconds="$1" what="$2" i
  shift 2
  for i in $(seq 1 $((seconds * 5))); do "$@" && return 0; sleep 0.2; done
  die "$what did not come up in ${seconds} s (logs: $DEMO_DIR/logs)"
}

_demo_private_pcscd_possible() {
  [ "$(id -u)" -eq 0 ] && command -v unshare >/dev/null && command -v pcscd >/dev/null && [ -f "$DEMO_VPCD_DRIVER" ]
}

# pcscd with the vpcd driver: a private one (own socket, own vpcd ports; never disturbs the machine's) when we
# are root, else the machine's (./reader sim's pcscd part) with the standard vpcd ports.
_demo_hardware_up() {
  if _demo_private_pcscd_possible; then
    DEMO_VPCD_PORT="$(_demo_free_port 2)"
    printf 'FRIENDLYNAME "Virtual PCD"\nDEVICENAME   /dev/null:0x%04X\nLIBPATH      %s\nCHANNELID    0x%04X\n' \
      "$DEMO_VPCD_PORT" "$DEMO_VPCD_DRIVER" "$DEMO_VPCD_PORT" >"$DEMO_DIR/pcscd/conf/vpcd"
    say "pcscd: private instance (socket $DEMO_DIR/pcscd/run/pcscd.comm, vpcd ports $DEMO_VPCD_PORT/$((DEMO_VPCD_PORT + 1)))"
    unshare --mount --propagation private sh -c \
      "mkdir -p /run/pcscd && mount --bind '$DEMO_DIR/pcscd/run' /run/pcscd && exec pcscd -f -c '$DEMO_DIR/pcscd/conf'" \
      >"$DEMO_DIR/logs/pcscd.log" 2>&1 &
    _demo_track $!
    DEMO_PCSC_SOCKET="$DEMO_DIR/pcscd/run/pcscd.comm"
  else
    local had_pcscd=0
    _sim_alive "$READER_RUN/sim/pcscd.pid" && had_pcscd=1
    sim_part_pcscd_up
    # Started for the demo: stopped with it.
    [ "$had_pcscd" -eq 0 ] && _sim_alive "$READER_RUN/sim/pcscd.pid" && _demo_track "$(cat "$READER_RUN/sim/pcscd.pid")"
    DEMO_VPCD_PORT=35963
    DEMO_PCSC_SOCKET=/run/pcscd/pcscd.comm
  fi
  _demo_wait 15 "pcscd" _demo_listening "$DEMO_VPCD_PORT"

  DEMO_CAMERA_PORT="$(_demo_free_port)"
  DEMO_SIM_SOCKET="$DEMO_DIR/sim/control.sock"
  say "sim: virtual cards on vpcd, virtual camera on http://127.0.0.1:$DEMO_CAMERA_PORT/camera/ (the card holder: astronaut.png)"
  _demo_start "$DEMO_DIR/logs/sim.out" "$DEMO_DIR/logs/sim.log" \
    dotnet "$(dll_of Reader.HardwareSim reader-sim)" --socket "$DEMO_SIM_SOCKET" serve --vpcd-port "$DEMO_VPCD_PORT" \
    --no-default-card --camera-port "$DEMO_CAMERA_PORT" --ca-dir "$DEMO_DIR/sim/ca"
  _demo_wait 90 "the sim daemon" _demo_sim camera status
}

_demo_sim() { run_sim --socket "$DEMO_SIM_SOCKET" "$@" >/dev/null 2>&1; }

_demo_broker_up() {
  DEMO_TLS_PORT="$(_demo_free_port)"
  DEMO_PAIRING_PORT="$(_demo_free_port)"
  run_terminal --broker-dir "$DEMO_DIR/broker" broker init --tls-port "$DEMO_TLS_PORT" --pairing-port "$DEMO_PAIRING_PORT" >/dev/null \
    || die "broker set-up failed"
  say "broker: mosquitto, TLS with client certificates on 127.0.0.1:$DEMO_TLS_PORT, pairing on :$DEMO_PAIRING_PORT"
  _demo_start "$DEMO_DIR/logs/mosquitto.out" "$DEMO_DIR/logs/mosquitto.err" mosquitto -c "$DEMO_DIR/broker/mosquitto.conf"
  _demo_wait 10 "mosquitto" _demo_listening "$DEMO_TLS_PORT"
}

_demo_terminal() { dotnet "$(dll_of Reader.Terminal reader-terminal)" --broker-dir "$DEMO_DIR/broker" --data "$DEMO_DIR/terminal" "$@"; }

# The reader's configuration (src/Device/README.md): everything pointed at this demo's clinic.
_demo_write_config() {
  local issuer key_id public_key
  issuer="$(run_sim --socket "$DEMO_SIM_SOCKET" card issuer)" || die "cannot read the virtual card-face issuer"
  key_id="$(sed -n 's/.*"keyId": "\(.*\)".*/\1/p' <<<"$issuer")"
  public_key="$(sed -n 's/.*"publicKey": "\(.*\)".*/\1/p' <<<"$issuer")"
  DEMO_CONFIG="$DEMO_DIR/reader.json"
  cat >"$DEMO_CONFIG" <<JSON
{
  "Kiosk": { "Address": "127.0.0.1", "Port": ${DEMO_KIOSK_PORT:-0}, "AccessKeyFile": "$DEMO_DIR/kiosk-access.key" },
  "Camera": { "Source": "http://127.0.0.1:$DEMO_CAMERA_PORT/camera/stream.mjpeg" },
  "CardFace": { "Source": "ocr" },
  "CardFaceCamera": { "Source": "http://127.0.0.1:$DEMO_CAMERA_PORT/cardface/stream.mjpeg" },
  "Gpio": { "Chip": "log" },
  "Card": {
    "ReaderName": "Virtual PCD 00 00",
    "CardFaceIssuerKeys": [ { "KeyId": "$key_id", "PublicKey": "$public_key" } ]
  },
  "Protocol": { "DataDirectory": "$DEMO_DIR/reader", "BrokerHost": "127.0.0.1", "PairingPort": $DEMO_PAIRING_PORT },
  "Logging": { "Folder": "$DEMO_DIR/logs", "Console": true }
}
JSON
}

_demo_device() { PCSCLITE_CSOCK_NAME="$DEMO_PCSC_SOCKET" dotnet "$(dll_of Reader.Device reader-device)" "$@"; }

# _demo_start <out> <err> <program> <args…> — in the background, with exec so the recorded pid is the program's own
# (not a subshell's) and _demo_down stops the program itself.
_demo_start() {
  local out="$1" err="$2"
  shift 2
  (exec "$@" >"$out" 2>"$err") &
  _demo_track $!
}

# The reader service, unpaired at first: its kiosk page shows the one-time pairing code (never stdout or a log).
_demo_reader_up() {
  _demo_write_config
  DEMO_KIOSK_KEY_FILE="$DEMO_DIR/kiosk-access.key"
  say "reader: reader-device run (kiosk, card monitor, camera, vision, MQTT link, session)"
  _demo_start "$DEMO_DIR/logs/reader.out" "$DEMO_DIR/logs/reader.log" \
    env PCSCLITE_CSOCK_NAME="$DEMO_PCSC_SOCKET" dotnet "$(dll_of Reader.Device reader-device)" run --config "$DEMO_CONFIG"
  _demo_wait 180 "the reader's pairing screen" grep -q '^READER PAIRING' "$DEMO_DIR/logs/reader.out"
  DEMO_KIOSK_URL="$(sed -n 's/^KIOSK URL \(.*\)$/\1/p' "$DEMO_DIR/logs/reader.out" | head -1)"
  echo "reader: not paired yet; the kiosk page ($DEMO_KIOSK_URL) shows a one-time pairing code"
}

# Pairing as a technician does it: reads the code off the kiosk's pairing screen, types it at the terminal (SPAKE2,
# then the clinic CA issues the reader's certificate).
_demo_pair() {
  say "pairing: the technician reads the code off the kiosk page (headless Chromium) and enters it at the terminal"
  DEMO_READER_ID="$(run_sim technician pair --kiosk "$DEMO_KIOSK_URL" --kiosk-key-file "$DEMO_KIOSK_KEY_FILE" \
    --broker-dir "$DEMO_DIR/broker" --terminal-data "$DEMO_DIR/terminal" 2>>"$DEMO_DIR/logs/technician.log")" \
    || die "the technician could not pair the reader (see $DEMO_DIR/logs)"
  echo "terminal: paired with $DEMO_READER_ID"
  _demo_wait 180 "the reader service" grep -q '^READER READY' "$DEMO_DIR/logs/reader.out"
  echo "reader: READER READY, kiosk page at $DEMO_KIOSK_URL"
}

_demo_terminal_up() {
  : >"$DEMO_DIR/results.jsonl"
  _demo_start "$DEMO_DIR/results.jsonl" "$DEMO_DIR/logs/terminal.log" \
    dotnet "$(dll_of Reader.Terminal reader-terminal)" --broker-dir "$DEMO_DIR/broker" --data "$DEMO_DIR/terminal" watch --events
  _demo_wait 30 "the terminal's watch" grep -q 'Connected' "$DEMO_DIR/logs/terminal.log"
  echo "terminal: reader-terminal watch is receiving results"
}

# ---- the scripted patient -------------------------------------------------------------------------

# _demo_patient <scripts> [WIDTHxHEIGHT] [screenshot folder]
_demo_patient() {
  local script="$1" size="${2:-1024x600}" shots="${3:-}" status=0
  echo
  echo "A patient walks up to the reader ($script, screen $size):"
  # shellcheck disable=SC2086 # several script names may be given, space-separated
  run_sim --socket "$DEMO_SIM_SOCKET" patient run $script --kiosk "$DEMO_KIOSK_URL" --kiosk-key-file "$DEMO_KIOSK_KEY_FILE" --size "$size" \
    --broker-dir "$DEMO_DIR/broker" --terminal-data "$DEMO_DIR/terminal" --reader "$DEMO_READER_ID" \
    ${shots:+--screenshots "$shots"} 2>>"$DEMO_DIR/logs/patient.log" || status=$?
  [ "$status" -eq 0 ] || tail -n 3 "$DEMO_DIR/logs/patient.log" >&2
  _demo_wait_result 20 || true
  echo
  echo "What the reader's status LEDs and buzzer did (simulated GPIO):"
  _demo_indicator_lines | sed 's/^/  /'
  echo "What the terminal saw:"
  sed -n 's/^\(status\|event\) /  \1 /p' "$DEMO_DIR/logs/terminal.log"
  DEMO_RESULT="$(grep '^{' "$DEMO_DIR/results.jsonl" | tail -n 1 || true)"
  [ -n "$DEMO_RESULT" ] && echo "terminal: verified result (signature checked against the reader's paired certificate, acknowledged):"
  return "$status"
}

_demo_wait_result() {
  local i
  for i in $(seq 1 $(($1 * 5))); do grep -q '^{' "$DEMO_DIR/results.jsonl" && return 0; sleep 0.2; done
  return 1
}

# The simulated chip logs every LED and buzzer change ("indicator …" at Information).
_demo_indicator_lines() {
  grep -ho 'indicator .*' "$DEMO_DIR/logs/reader.log" 2>/dev/null | sed 's/[[:space:]]*$//' | uniq | head -n 40
}

# ---- interactive ----------------------------------------------------------------------------------

_demo_console() {
  local line word arg
  cat <<TEXT

The demo clinic is running. Open the kiosk page in a browser on this machine (the address carries the
reader's per-boot kiosk key, as kiosk.service hands it to Chromium; without it the page gets no data):
  $DEMO_KIOSK_URL?key=$(cat "$DEMO_KIOSK_KEY_FILE")
The virtual patient camera:   http://127.0.0.1:$DEMO_CAMERA_PORT/camera/
Verified results arrive in $DEMO_DIR/results.jsonl and are printed here as JSON lines.

TEXT
  _demo_console_help
  # Verified results as they arrive (one JSON line each, written by reader-terminal watch).
  (exec tail -n 0 -F "$DEMO_DIR/results.jsonl" 2>/dev/null) &
  _demo_track $!
  while true; do
    printf 'demo> '
    IFS= read -r line || break
    read -r word arg _ <<<"$line"
    case "$word" in
      "") ;;
      insert)
        local variant="${arg:-standard}"
        [ "$variant" = expired ] && variant=expired-certificate
        run_sim --socket "$DEMO_SIM_SOCKET" card insert --slot 0 --variant "$variant" --card "demo-$variant" >/dev/null && echo "card placed ($variant)" ;;
      remove) run_sim --socket "$DEMO_SIM_SOCKET" card remove --slot 0 >/dev/null && echo "card taken" ;;
      camera) run_sim --socket "$DEMO_SIM_SOCKET" camera play "${arg:-live}" >/dev/null && echo "camera: ${arg:-live}" ;;
      cardface) run_sim --socket "$DEMO_SIM_SOCKET" cardface play --effects "${arg:-clean}" >/dev/null && echo "card-face camera: ${arg:-clean} (next placement)" ;;
      mode)
        case "$arg" in
          visual) _demo_terminal mode "$DEMO_READER_ID" visual-check ;;
          auto) _demo_terminal mode "$DEMO_READER_ID" automatic ;;
          *) echo "mode visual|auto" ;;
        esac ;;
      status)
        run_sim --socket "$DEMO_SIM_SOCKET" card list | grep -E '"(slot|cardId|variant|connected)"' | paste -sd' ' | sed 's/  */ /g'
        run_sim --socket "$DEMO_SIM_SOCKET" camera status | grep -E '"(scene|viewers)"' | paste -sd' ' | sed 's/  */ /g'
        _demo_indicator_lines | tail -n 3 ;;
      help|"?") _demo_console_help ;;
      quit|exit) break ;;
      *) echo "unknown command: $word (help lists the commands)" ;;
    esac
  done
}

_demo_console_help() {
  cat <<'TEXT'
Commands:
  insert standard|face-only|expired|foreign|foreign-resident|misprinted-code|locked-pin|renew-soon|unreadable
                                                   place a card on the reader
  remove                                           take the card away
  camera live|photo|impostor|empty|dark|two-people who stands in front of the camera
  cardface clean|mix|EFFECTS                       how the next card lies under the card-face camera
  mode visual|auto                                 staff switch 目視 on (next patient) or back to automatic
  status                                           the card, the camera scene, the last LED changes
  help                                             this list
  quit                                             stop the clinic
TEXT
}

# ---- bench ----------------------------------------------------------------------------------------

# ./reader bench session [--runs N] [--per-session] — device-side time from card placed to result published, by phase, with an
# instant patient; the in-process ReaderService on real pcscd/vpcd (212 kbit/s card), vision, broker and terminal.
bench_session() {
  READER_KIOSK_AXE="$(kiosk_axe_dir)/axe.min.js" dotnet "$(dll_of Reader.EndToEnd.Tests Reader.EndToEnd.Tests)" --bench session "$@"
}
