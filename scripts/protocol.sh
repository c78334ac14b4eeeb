# shellcheck shell=bash
# Protocol area (src/Protocol): mosquitto for the clinic broker, the reference terminal
# (`./reader terminal …` → reader-terminal), `./reader bench mqtt|pairing` (bench/Protocol), and the simulated broker
# part of `./reader sim up` (TLS broker on loopback, CA and certificates under $READER_RUN/broker).

PROTOCOL_TLS_PORT="${PROTOCOL_TLS_PORT:-18883}"
PROTOCOL_PAIRING_PORT="${PROTOCOL_PAIRING_PORT:-18884}"

ensure_area_protocol() {
  ensure_apt mosquitto mosquitto-clients openssl
}

run_terminal() { dotnet "$(dll_of Reader.Terminal reader-terminal)" "$@"; }

# ./reader terminal pair|unpair|readers|watch|mode|cancel|config|self-test|update|broker …
cmd_terminal() {
  ensure_base
  ensure_build
  run_terminal "$@"
}

# The protocol's benches (bench/Protocol, reader-protocol-bench): not part of the terminal a clinic runs.
run_protocol_bench() { dotnet "$(dll_of Reader.Protocol.Bench reader-protocol-bench)" "$@"; }

# ./reader bench mqtt [--samples N] [--readers N] [--sessions-per-reader N]; last line JSON.
bench_mqtt() {
  run_protocol_bench mqtt "$@"
}

# ./reader bench pairing [--seconds N] [--peer-seconds N]: guess rate on the pairing topic; last line JSON.
bench_pairing() {
  run_protocol_bench pairing "$@"
}

SIM_PARTS+=(broker)

_protocol_broker_dir() { echo "$READER_RUN/broker"; }

_protocol_broker_alive() {
  local pidfile; pidfile="$(_protocol_broker_dir)/mosquitto.pid"
  [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null && grep -q mosquitto "/proc/$(cat "$pidfile")/comm" 2>/dev/null
}

_protocol_port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

sim_part_broker_up() {
  local dir; dir="$(_protocol_broker_dir)"
  if _protocol_broker_alive; then return 0; fi
  _protocol_port_open "$PROTOCOL_TLS_PORT" && die "broker: port $PROTOCOL_TLS_PORT is taken (set PROTOCOL_TLS_PORT)"
  run_terminal --broker-dir "$dir" broker init --tls-port "$PROTOCOL_TLS_PORT" --pairing-port "$PROTOCOL_PAIRING_PORT" >/dev/null \
    || die "broker: set-up failed"
  say "broker: starting mosquitto (TLS 127.0.0.1:$PROTOCOL_TLS_PORT, pairing 127.0.0.1:$PROTOCOL_PAIRING_PORT)"
  mosquitto -c "$dir/mosquitto.conf" -d || die "broker: mosquitto did not start (see $dir/mosquitto.log)"
  local i
  for i in $(seq 1 50); do _protocol_port_open "$PROTOCOL_TLS_PORT" && return 0; sleep 0.1; done
  die "broker: not listening on $PROTOCOL_TLS_PORT (see $dir/mosquitto.log)"
}

sim_part_broker_down() {
  local pidfile; pidfile="$(_protocol_broker_dir)/mosquitto.pid"
  if ! _protocol_broker_alive; then rm -f "$pidfile"; return 0; fi
  local pid i; pid="$(cat "$pidfile")"
  kill -TERM "$pid" 2>/dev/null || true
  for i in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
  rm -f "$pidfile"
  say "broker stopped"
}

sim_part_broker_status() {
  local dir; dir="$(_protocol_broker_dir)"
  if _protocol_broker_alive; then
    echo "broker: running (pid $(cat "$dir/mosquitto.pid"), TLS 127.0.0.1:$PROTOCOL_TLS_PORT, pairing 127.0.0.1:$PROTOCOL_PAIRING_PORT, $dir)"
  else
    echo "broker: stopped"
  fi
}
