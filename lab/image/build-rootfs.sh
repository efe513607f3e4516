#!/usr/bin/env bash
# Build the practice-node disk image from Debian's packages: debootstrap (minbase) a bookworm
# rootfs, configure it for headless SSH use, pack it with `mkfs.ext4 -d` (no loop mount, so it
# works inside a container) and convert to qcow2. Kernel and initrd are copied out for direct boot.
#
# usage: build-rootfs.sh OUT_DIR PUBLIC_KEY_FILE
# Writes OUT_DIR/{base.qcow2,vmlinuz,initrd.img,host-keys/}. Runs as root. Prints one line per phase.
set -euo pipefail

out=$1
pubkey_file=$2
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d "${out}/.rootfs.XXXXXX")
rootfs="$work/rootfs"
trap 'rm -rf "$work"' EXIT

phase() { printf '[lab image] %s (%ss)\n' "$1" "$SECONDS"; }

# The mirror comes from this machine's own apt configuration: nothing else is reachable here,
# and the project must not hard-code a mirror.
mirror=${NODEPREP_DEBIAN_MIRROR:-}
if [ -z "$mirror" ]; then
  mirror=$( (grep -h -E '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null || true) | awk '{print $2}' | grep -v -- '-security' | head -n1)
fi
if [ -z "$mirror" ]; then
  mirror=$( (grep -h -E '^deb ' /etc/apt/sources.list 2>/dev/null || true) | awk '{print $2}' | grep -v -- '-security' | head -n1)
fi
[ -n "$mirror" ] || { echo "no Debian mirror found in /etc/apt; set NODEPREP_DEBIAN_MIRROR" >&2; exit 1; }

packages=$(grep -v -E '^\s*(#|$)' "$here/packages.txt" | paste -sd, -)

phase "debootstrap bookworm (minbase + $(echo "$packages" | tr ',' ' ' | wc -w) packages)"
debootstrap --variant=minbase --include="$packages" bookworm "$rootfs" "$mirror" > "$work/debootstrap.log" 2>&1 || {
  tail -n 30 "$work/debootstrap.log" >&2; exit 1; }

phase "configure"
bash "$here/configure-rootfs.sh" "$rootfs" "$pubkey_file"

phase "trim initramfs to virtio + ext4"
cat > "$rootfs/etc/initramfs-tools/conf.d/nodeprep.conf" <<'CONF'
MODULES=list
COMPRESS=gzip
CONF
printf '%s\n' virtio_pci virtio_blk virtio_net ext4 > "$rootfs/etc/initramfs-tools/modules"
kver=$(ls "$rootfs/lib/modules" | sort -V | tail -n1)
chroot "$rootfs" update-initramfs -u -k "$kver" > "$work/initramfs.log" 2>&1 || {
  tail -n 30 "$work/initramfs.log" >&2; exit 1; }
cp "$rootfs/boot/vmlinuz-$kver" "$out/vmlinuz"
cp "$rootfs/boot/initrd.img-$kver" "$out/initrd.img"

# The host keys every restored node starts with, known out of band so the practice nodes can be
# registered with a pinned key (a node whose keys are regenerated then shows up as "changed").
mkdir -p "$out/host-keys"
cp "$rootfs"/etc/ssh/ssh_host_*_key.pub "$out/host-keys/"

phase "clean"
rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* "$rootfs"/usr/share/doc/* \
  "$rootfs"/usr/share/man/* "$rootfs"/usr/share/locale/* "$rootfs"/tmp/*

phase "mkfs.ext4 -d + qcow2"
mkfs.ext4 -q -F -L root -d "$rootfs" "$work/root.img" 3G
qemu-img convert -O qcow2 "$work/root.img" "$out/base.qcow2"
chmod 0444 "$out/base.qcow2"
phase "done"
