# shellcheck shell=bash
# GPIO (LEDs, buzzer): libgpiod 1.6 for Reader.Gpio, and the gpiod tools (gpioinfo, gpioset) for technicians.

ensure_area_gpio() {
  ensure_apt libgpiod2 gpiod
}
