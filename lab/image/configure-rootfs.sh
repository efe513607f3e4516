#!/usr/bin/env bash
# Configure a debootstrapped rootfs as a practice node. usage: configure-rootfs.sh ROOTFS PUBKEY
set -euo pipefail
r=$1
pubkey=$(cat "$2")

echo practice > "$r/etc/hostname"
printf '127.0.0.1 localhost\n127.0.1.1 practice\n::1 localhost ip6-localhost ip6-loopback\n' > "$r/etc/hosts"
echo '/dev/vda / ext4 defaults,errors=remount-ro 0 1' > "$r/etc/fstab"

# Network: DHCP from QEMU's user-mode stack. The node has no route out (restrict=on) and no DNS,
# so nothing may wait for "online".
mkdir -p "$r/etc/systemd/network"
cat > "$r/etc/systemd/network/20-wired.network" <<'NET'
[Match]
Name=en* eth*

[Network]
DHCP=ipv4
NET
ln -sf /lib/systemd/system/systemd-networkd.service "$r/etc/systemd/system/multi-user.target.wants/systemd-networkd.service"
for unit in systemd-networkd-wait-online.service apt-daily.timer apt-daily-upgrade.timer \
  apt-daily.service apt-daily-upgrade.service e2scrub_all.timer fstrim.timer man-db.timer \
  dpkg-db-backup.timer systemd-timesyncd.service; do
  ln -sf /dev/null "$r/etc/systemd/system/$unit"
done

# sshd: no reverse DNS (there is none), and room for the bursts of connections that tests make.
mkdir -p "$r/etc/ssh/sshd_config.d"
cat > "$r/etc/ssh/sshd_config.d/nodeprep.conf" <<'SSH'
UseDNS no
MaxStartups 100:30:200
MaxSessions 50
PasswordAuthentication yes
SSH

# Users. `prep`: key auth, passwordless sudo (the usual automation account).
# `ops`: key or password auth ("ops-sudo-pw"), sudo asks for the password (to exercise sudo -S).
chroot "$r" useradd -m -s /bin/bash -G sudo prep
chroot "$r" useradd -m -s /bin/bash -G sudo ops
echo 'ops:ops-sudo-pw' | chroot "$r" chpasswd
chroot "$r" passwd -l root > /dev/null
echo 'prep ALL=(ALL) NOPASSWD:ALL' > "$r/etc/sudoers.d/prep"
chmod 0440 "$r/etc/sudoers.d/prep"
for u in prep ops; do
  install -d -m 0700 "$r/home/$u/.ssh"
  echo "$pubkey" > "$r/home/$u/.ssh/authorized_keys"
  chmod 0600 "$r/home/$u/.ssh/authorized_keys"
  chroot "$r" chown -R "$u:$u" "/home/$u/.ssh"
done

# Quiet, fast boot: serial console only.
ln -sf /dev/null "$r/etc/systemd/system/getty@tty1.service"
