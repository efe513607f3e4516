import "server-only";

// ONE remote script per host (design.md: batch into one round trip). POSIX sh only, so it runs on
// dash, bash and busybox ash alike; every section is printed even when empty, and nothing in it
// needs root. A non-root PATH lacks the sbin directories (design.md, lab notes), hence PATH first.
export const SECTION_PREFIX = "@@nodeprep-facts:";

export const FACTS_SCRIPT = `PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:$PATH; export PATH
LC_ALL=C; export LC_ALL
s() { printf '${SECTION_PREFIX}%s@@\\n' "$1"; }
v() { p=$(command -v "$1" 2>/dev/null) && { echo "$p"; "$p" $2 2>&1 | head -n 1; }; }
s hostname; hostname 2>/dev/null || cat /proc/sys/kernel/hostname
s os-release; cat /etc/os-release 2>/dev/null || cat /usr/lib/os-release 2>/dev/null
s uname; uname -r; uname -m
s libc; getconf GNU_LIBC_VERSION 2>/dev/null; ls -1 /lib/ld-musl-* 2>/dev/null; ldd --version 2>&1 | head -n 2
s init; cat /proc/1/comm 2>/dev/null; [ -d /run/systemd/system ] && echo /run/systemd/system
s cgroup; stat -fc %T /sys/fs/cgroup 2>/dev/null
s swaps; cat /proc/swaps 2>/dev/null
s machine-id; cat /etc/machine-id 2>/dev/null
s containerd; v containerd --version
s runc; v runc --version
s cni; for d in /opt/cni/bin /usr/libexec/cni /usr/lib/cni; do [ -d "$d" ] && { echo "$d"; ls -1 "$d"; break; }; done
s kubelet; v kubelet --version
s end
`;
