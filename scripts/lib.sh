# Shared by scripts/*.sh: phase timing and idempotent installs.
export npm_config_nodedir=${npm_config_nodedir:-/usr}
export NEXT_TELEMETRY_DISABLED=1

phase_start() { PHASE_NAME=$1; PHASE_T0=$(date +%s); printf '\n==> %s\n' "$1"; }
phase_end() { printf '<== %s: %ss\n' "$PHASE_NAME" "$(( $(date +%s) - PHASE_T0 ))"; }

# Debian packages the project needs, by purpose. Installed only when missing.
APT_RUNTIME="openssh-client"
# qemu-system-arm + qemu-user-static: the bookworm-arm64 practice-node shape (emulated VM; its image's
# maintainer scripts run through binfmt_misc).
APT_LAB="qemu-system-x86 qemu-utils debootstrap e2fsprogs cpio zstd debian-archive-keyring qemu-system-arm qemu-user-static"
# ansible-core: the exported playbook and the inventory export are checked with the real ansible-playbook and ansible-inventory.
# binutils: readelf, the reference the ELF reader's unit test checks against.
APT_TEST="chromium fonts-dejavu-core busybox-static ansible-core binutils"
# Only the benchmarks install these: ansible-core (the baseline they compare against), sudo (bench/fleet's
# throwaway user becomes root with it, like a real host).
APT_BENCH="ansible-core sudo"

ensure_apt() {
  local missing=()
  for p in "$@"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p"); done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "installing Debian packages: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" > /tmp/nodeprep-apt.log 2>&1 \
      || { tail -n 20 /tmp/nodeprep-apt.log; return 1; }
  fi
  # apt-get download (release artifacts) needs package lists even when nothing was missing.
  if [ -z "$(ls -A /var/lib/apt/lists 2>/dev/null | grep -v -E '^(lock|partial|auxfiles)$')" ]; then apt-get update -qq; fi
}

ensure_npm() {
  if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    echo "installing npm packages (better-sqlite3 compiles from source: about a minute)"
    npm ci --no-audit --no-fund
  fi
}
