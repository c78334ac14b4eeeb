#!/bin/sh
# mkosi post-installation step inside the image: service users, enabled units, no login prompt.
set -eu
getent group gpio >/dev/null || groupadd --system gpio
id reader >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin --groups video,gpio,plugdev reader
id kiosk >/dev/null 2>&1 || useradd --system --create-home --shell /usr/sbin/nologin --groups video,input,render kiosk
mkdir -p /opt/reader/app /data
systemctl enable reader-appfs.service reader.service kiosk.service mark-good.service rauc.service
systemctl mask getty@tty1.service serial-getty@.service
