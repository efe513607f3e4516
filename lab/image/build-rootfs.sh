#!/usr/bin/env bash
# Build a practice-node disk image from Debian's packages: debootstrap (minbase) a rootfs of one
# release and architecture, configure it for headless SSH use, pack it with `mkfs.ext4 -d` (no loop
# mount, so it works inside a container) and convert to qcow2. Kernel and initrd are copied out for
# direct boot.
#
# usage: build-rootfs.sh OUT_DIR PUBLIC_KEY_FILE SUITE ARCH
# env:   NODEPREP_DEBIAN_MIRROR (required: lab/mirror.ts reads it from /etc/apt), NODEPREP_BUILD_T0
#        (epoch seconds the whole image build started, for the elapsed times it prints)
# Writes OUT_DIR/{base.qcow2,vmlinuz,initrd.img,host-keys/}. Runs as root. Prints one line per
# phase, and debootstrap's stage as it changes, each with the time elapsed since the build started.
set -euo pipefail

out=$1
pubkey_file=$2
suite=$3
arch=$4
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d "${out}/.rootfs.XXXXXX")
rootfs="$work/rootfs"
trap 'rm -rf "$work"' EXIT
t0=${NODEPREP_BUILD_T0:-$(date +%s)}
mirror=${NODEPREP_DEBIAN_MIRROR:?set NODEPREP_DEBIAN_MIRROR}

phase() { printf '[lab image %s/%s] %s (%ss)\n' "$suite" "$arch" "$1" "$(( $(date +%s) - t0 ))"; }

# A foreign architecture runs its maintainer scripts and update-initramfs under qemu-user through
# binfmt_misc (Debian's qemu-user-static registers with the F flag: the interpreter is opened once
# here, so the chroot needs no copy of it). Register it when the machine has not.
if [ "$arch" != "$(dpkg --print-architecture)" ]; then
  binfmt=/proc/sys/fs/binfmt_misc
  [ -e "$binfmt/register" ] || mount -t binfmt_misc binfmt_misc "$binfmt" 2>/dev/null || true
  conf=/usr/lib/binfmt.d/qemu-aarch64.conf
  [ "$arch" = arm64 ] || { echo "no foreign-architecture support for $arch" >&2; exit 1; }
  if [ ! -e "$binfmt/qemu-aarch64" ]; then
    [ -r "$conf" ] || { echo "building an $arch image needs qemu-user-static ($conf missing): apt-get install qemu-user-static" >&2; exit 1; }
    cat "$conf" > "$binfmt/register" || { echo "cannot register qemu-aarch64 in binfmt_misc ($binfmt): an arm64 image cannot be built on this machine" >&2; exit 1; }
  fi
  phase "running $arch maintainer scripts through qemu-user ($(head -n2 "$binfmt/qemu-aarch64" | tail -n1))"
fi

packages=$( (grep -v -E '^\s*(#|$)' "$here/packages.txt"; echo "linux-image-$arch") | paste -sd, -)

# debootstrap prints hundreds of lines: keep them in a log and say which stage it is in (and how
# many packages it got through), on every change and every 20 s.
debootstrap_progress() {
  local stage="" last="" count=0 line said=$SECONDS
  while :; do
    if IFS= read -r -t 20 line; then
      printf '%s\n' "$line" >> "$work/debootstrap.log"
      case $line in
        "I: Retrieving InRelease"*|"I: Retrieving Release"*|"I: Retrieving Packages"*|"I: Checking Release"*|"I: Validating Packages"*) stage="reading the package index" ;;
        "I: Resolving dependencies"*|"I: Found "*) stage="resolving dependencies" ;;
        "I: Retrieving "*) stage="downloading packages" ;;
        "I: Validating "*) continue ;;
        "I: Extracting "*) stage="extracting packages" ;;
        "I: Unpacking "*|"I: Installing "*) stage="unpacking packages" ;;
        "I: Configuring "*) stage="configuring packages" ;;
        "I: Base system installed"*) stage="done" ;;
        *) continue ;;
      esac
      if [ "$stage" != "$last" ]; then
        [ -z "$last" ] || [ "$count" -le 1 ] || phase "debootstrap: $last: $count"
        phase "debootstrap: $stage"; last=$stage; count=0; said=$SECONDS
      fi
      count=$((count + 1))
      # Lines keep coming while it unpacks or configures: still say something every 20 s.
      if [ $((SECONDS - said)) -ge 20 ]; then phase "debootstrap: still $last ($count so far)"; said=$SECONDS; fi
    elif [ $? -gt 128 ]; then
      phase "debootstrap: still ${last:-starting} ($count so far)"; said=$SECONDS
    else
      break
    fi
  done
}

phase "debootstrap $suite $arch from $mirror (minbase + $(echo "$packages" | tr ',' ' ' | wc -w) packages)"
if ! debootstrap --arch="$arch" --variant=minbase --include="$packages" "$suite" "$rootfs" "$mirror" 2>&1 | debootstrap_progress; then
  tail -n 30 "$work/debootstrap.log" >&2; exit 1
fi

phase "configure"
bash "$here/configure-rootfs.sh" "$rootfs" "$pubkey_file"

phase "initramfs (trimmed to virtio + ext4)"
cat > "$rootfs/etc/initramfs-tools/conf.d/nodeprep.conf" <<'CONF'
MODULES=list
COMPRESS=gzip
CONF
printf '%s\n' virtio_pci virtio_blk virtio_net ext4 > "$rootfs/etc/initramfs-tools/modules"
kver=$(ls "$rootfs/lib/modules" | sort -V | tail -n1)
chroot "$rootfs" update-initramfs -u -k "$kver" > "$work/initramfs.log" 2>&1 || {
  tail -n 30 "$work/initramfs.log" >&2; exit 1; }
phase "kernel $kver"
cp "$rootfs/boot/vmlinuz-$kver" "$out/vmlinuz"
cp "$rootfs/boot/initrd.img-$kver" "$out/initrd.img"

# The host keys every restored node starts with (before the lab gives each node its own), known out
# of band so a node can be registered with a pinned key.
mkdir -p "$out/host-keys"
cp "$rootfs"/etc/ssh/ssh_host_*_key.pub "$out/host-keys/"

phase "clean"
rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* "$rootfs"/usr/share/doc/* \
  "$rootfs"/usr/share/man/* "$rootfs"/usr/share/locale/* "$rootfs"/tmp/*

phase "mkfs.ext4 -d + qcow2"
mkfs.ext4 -q -F -L root -d "$rootfs" "$work/root.img" 3G > "$work/mkfs.log" 2>&1 || { cat "$work/mkfs.log" >&2; exit 1; }
qemu-img convert -O qcow2 "$work/root.img" "$out/base.qcow2"
chmod 0444 "$out/base.qcow2"
phase "disk image done"
