import "server-only";

// ONE remote script per host (design.md: batch into one round trip). POSIX sh only, so it runs on
// dash, bash and busybox ash alike; every section is printed even when empty, and nothing in it
// needs root. A non-root PATH lacks the sbin directories (design.md, lab notes), hence PATH first.
export const SECTION_PREFIX = "@@nodeprep-facts:";

// Speed: every process the script starts costs a fork+exec on the host (about 25 ms each on the
// emulated practice nodes, more on a loaded machine), so files are read with the shell's own `read`
// and the program lookups walk PATH with `[ -x ]`. glibc's version is read from the `ldd` script, which
// carries it as text on every glibc distribution (`echo 'ldd (Debian GLIBC 2.36-9) 2.36'`); getconf
// and `ldd --version` are the fallbacks. Only the installed tools' --version start processes;
// bench/facts measures the whole against a bare exec of `true`.
export const FACTS_SCRIPT = `PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:$PATH; export PATH
LC_ALL=C; export LC_ALL
s() { printf '${SECTION_PREFIX}%s@@\\n' "$1"; }
f() { [ -r "$1" ] && while IFS= read -r l || [ -n "$l" ]; do printf '%s\\n' "$l"; done < "$1"; }
w() { p=; for d in /usr/local/sbin /usr/local/bin /usr/sbin /usr/bin /sbin /bin; do [ -x "$d/$1" ] && { p=$d/$1; return 0; }; done; return 1; }
v() { w "$1" && { echo "$p"; "$p" $2 2>&1 | { IFS= read -r l; printf '%s\\n' "$l"; }; }; }
s hostname; f /proc/sys/kernel/hostname
s os-release; f /etc/os-release || f /usr/lib/os-release
s uname; f /proc/sys/kernel/osrelease; f /proc/sys/kernel/arch || uname -m
s libc; for m in /lib/ld-musl-*; do [ -e "$m" ] && echo "$m"; done; g=; if w ldd && IFS= read -r l < "$p" && [ "\${l#\\#!}" != "$l" ]; then while IFS= read -r l; do case $l in *"echo 'ldd ("*) l=\${l#*echo \\'}; echo "\${l%\\'}"; g=1; break;; esac; done < "$p"; fi; [ -n "$g" ] || getconf GNU_LIBC_VERSION 2>/dev/null || ldd --version 2>&1 | { IFS= read -r a; IFS= read -r b; printf '%s\\n%s\\n' "$a" "$b"; }
s init; f /proc/1/comm; [ -d /run/systemd/system ] && echo /run/systemd/system
s cgroup; if [ -f /sys/fs/cgroup/cgroup.controllers ]; then echo cgroup2fs; else stat -fc %T /sys/fs/cgroup 2>/dev/null; fi
s swaps; f /proc/swaps
s machine-id; f /etc/machine-id
s containerd; v containerd --version
s runc; v runc --version
s cni; for d in /opt/cni/bin /usr/libexec/cni /usr/lib/cni; do [ -d "$d" ] && { echo "$d"; for x in "$d"/*; do [ -e "$x" ] && echo "\${x##*/}"; done; break; }; done
s kubelet; v kubelet --version
s end
`;
