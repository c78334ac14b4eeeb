# shellcheck shell=bash
# Device area (src/Device): the reader service verbs. They pass through to reader-device like any verb, but
# first trust the running simulator's test card-face CA (so the face path checks the card-face signature in
# development; never on a device, where the configuration names the J-LIS issuer keys) and name the simulator's
# cameras in the configuration (READER__Camera__Source, READER__CardFaceCamera__Source) when it serves them.

_device_verb() {
  ensure_base
  ensure_build
  sim_card_env
  sim_camera_env
  run_device "$@"
}

# ./reader run [--config FILE] — the service in the foreground (pairing mode first when not paired).
cmd_run() { _device_verb run "$@"; }

# ./reader pair [--config FILE] — technician pairing: prints PAIRING CODE nnnnnn, waits for the terminal.
cmd_pair() { _device_verb pair "$@"; }

# ./reader self-test [--config FILE] — every dependency of the service; non-zero with the reason on failure.
cmd_self_test() { _device_verb self-test "$@"; }
