// 200 real SSH endpoints on this machine without VMs: a throwaway local user with passwordless sudo,
// and a few OpenSSH sshd processes running AS THAT USER, each listening on 16 loopback ports (sshd's
// MAX_LISTEN_SOCKS), with their own sshd_config and host key in a temporary directory. Nothing of
// root's or the machine's own sshd is touched; sshd itself is Debian's, unpacked into a cache
// directory (apt-get download + dpkg-deb -x), never installed. Everything is removed by stop().
import { execFileSync, spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

/** OpenSSH's MAX_LISTEN_SOCKS: one sshd listens on at most 16 addresses. */
const PORTS_PER_SSHD = 16;

export interface Endpoints {
  user: string;
  ports: number[];
  /** The client's key, as nodeprep and Ansible use it. */
  privateKeyPath: string;
  privateKey: string;
  /** `[127.0.0.1]:port keytype base64` for every port. */
  knownHosts: string;
  hostKeyLine: string;
  dir: string;
  stop(): Promise<void>;
}

function sh(cmd: string, args: string[], opts: { cwd?: string } = {}): string {
  return execFileSync(cmd, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], ...opts });
}

/** Debian's sshd (and libwrap0, which it links) unpacked under ~/.cache, reused by later runs. */
export function ensureSshd(cacheRoot = path.join(os.homedir(), ".cache", "nodeprep", "bench", "openssh")): { sshd: string; libPath: string } {
  const root = path.join(cacheRoot, "root");
  const sshd = path.join(root, "usr", "sbin", "sshd");
  const libPath = [path.join(root, "lib", "x86_64-linux-gnu"), path.join(root, "usr", "lib", "x86_64-linux-gnu")].join(":");
  if (fs.existsSync(sshd)) return { sshd, libPath };
  fs.mkdirSync(cacheRoot, { recursive: true });
  console.log("[bench] unpacking Debian's openssh-server and libwrap0 (apt-get download; nothing is installed)");
  // apt drops privileges to _apt for downloads; a root-owned temp dir it can write to avoids its warning.
  const dl = fs.mkdtempSync(path.join(os.tmpdir(), "nodeprep-sshd-deb-"));
  fs.chmodSync(dl, 0o777);
  sh("apt-get", ["download", "openssh-server", "libwrap0"], { cwd: dl });
  for (const deb of fs.readdirSync(dl).filter((f) => f.endsWith(".deb"))) sh("dpkg-deb", ["-x", path.join(dl, deb), root]);
  fs.rmSync(dl, { recursive: true, force: true });
  if (!fs.existsSync(sshd)) throw new Error(`no sshd in the unpacked openssh-server under ${root}`);
  return { sshd, libPath };
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once("error", () => resolve(false));
    s.listen(port, "127.0.0.1", () => s.close(() => resolve(true)));
  });
}

async function freePorts(count: number, from = 42000): Promise<number[]> {
  const out: number[] = [];
  for (let p = from; out.length < count && p < 65000; p++) if (await portFree(p)) out.push(p);
  if (out.length < count) throw new Error(`only ${out.length} free loopback ports from ${from}`);
  return out;
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, "127.0.0.1");
    s.once("connect", () => {
      s.destroy();
      resolve(true);
    });
    s.once("error", () => resolve(false));
  });
}

async function waitListening(ports: number[], deadlineMs: number): Promise<void> {
  const end = Date.now() + deadlineMs;
  for (const p of ports) {
    while (!(await listening(p))) {
      if (Date.now() > end) throw new Error(`sshd did not listen on 127.0.0.1:${p} within ${deadlineMs} ms`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

/** Pids of the processes running as this uid (from /proc). */
function processesOf(uid: number): number[] {
  if (uid < 0) return [];
  return fs.readdirSync("/proc").flatMap((d) => {
    if (!/^\d+$/.test(d)) return [];
    try {
      const m = /^Uid:\s+(\d+)/m.exec(fs.readFileSync(`/proc/${d}/status`, "utf8"));
      return m && Number(m[1]) === uid ? [Number(d)] : [];
    } catch {
      return [];
    }
  });
}

export async function startEndpoints(count: number): Promise<Endpoints> {
  if (process.getuid?.() !== 0) throw new Error("bench/fleet creates a throwaway user: run it as root (as npm test and CI do)");
  const unpacked = ensureSshd();
  const user = `npbench${randomBytes(3).toString("hex")}`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "nodeprep-bench-fleet-"));
  const sudoers = `/etc/sudoers.d/${user}`;
  const procs: ChildProcess[] = [];
  let uid = -1;
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    for (const p of procs) p.kill("SIGTERM");
    await Promise.all(procs.map((p) => (p.exitCode !== null ? null : new Promise((r) => p.once("exit", r)))));
    // Sessions still open (a client that kept its connection) run as the throwaway user: end those
    // processes, each by its pid, so the user can be removed. No other process runs as that user.
    for (const pid of processesOf(uid)) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // already gone
      }
    }
    fs.rmSync(sudoers, { force: true });
    // A killed process still counts until it is reaped: userdel refuses a user that "is used".
    const until = Date.now() + 10_000;
    while (processesOf(uid).length > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    let removed = false;
    for (let attempt = 0; attempt < 5 && !removed; attempt++) {
      removed = spawnSync("userdel", ["-r", user], { stdio: "ignore" }).status !== 1 && spawnSync("id", [user], { stdio: "ignore" }).status !== 0;
      if (!removed) await new Promise((r) => setTimeout(r, 500));
    }
    if (!removed) console.error(`[bench] could not remove the throwaway user ${user}: remove it with userdel -r ${user}`);
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    sh("useradd", ["--create-home", "--shell", "/bin/sh", "--comment", "nodeprep bench (throwaway)", user]);
    const rule = `${user} ALL=(ALL) NOPASSWD: ALL\n`;
    fs.writeFileSync(`${sudoers}.tmp`, rule, { mode: 0o440 });
    sh("visudo", ["-cf", `${sudoers}.tmp`]);
    fs.renameSync(`${sudoers}.tmp`, sudoers);
    sh("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "nodeprep-bench-host", "-f", path.join(dir, "host_ed25519")]);
    sh("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "nodeprep-bench-client", "-f", path.join(dir, "client_ed25519")]);
    fs.copyFileSync(path.join(dir, "client_ed25519.pub"), path.join(dir, "authorized_keys"));
    // The user cannot read root's cache: sshd and libwrap go into the bench's own directory.
    const sshd = path.join(dir, "sshd");
    fs.copyFileSync(unpacked.sshd, sshd);
    fs.chmodSync(sshd, 0o755);
    fs.mkdirSync(path.join(dir, "lib"));
    for (const libDir of unpacked.libPath.split(":")) {
      if (!fs.existsSync(libDir)) continue;
      for (const f of fs.readdirSync(libDir).filter((x) => x.startsWith("libwrap"))) fs.cpSync(path.join(libDir, f), path.join(dir, "lib", f), { dereference: true });
    }
    const libPath = path.join(dir, "lib");
    const ports = await freePorts(count);
    uid = Number(sh("id", ["-u", user]).trim());
    const gid = Number(sh("id", ["-g", user]).trim());
    fs.chownSync(dir, uid, gid);
    for (const f of ["host_ed25519", "host_ed25519.pub", "authorized_keys", "lib"]) fs.chownSync(path.join(dir, f), uid, gid);
    for (let i = 0; i < ports.length; i += PORTS_PER_SSHD) {
      const mine = ports.slice(i, i + PORTS_PER_SSHD);
      const config = path.join(dir, `sshd-${i / PORTS_PER_SSHD}.conf`);
      fs.writeFileSync(
        config,
        [
          ...mine.map((p) => `ListenAddress 127.0.0.1:${p}`),
          `HostKey ${dir}/host_ed25519`,
          `PidFile ${dir}/sshd-${i / PORTS_PER_SSHD}.pid`,
          `AuthorizedKeysFile ${dir}/authorized_keys`,
          `AllowUsers ${user}`,
          // A non-root sshd can only log its own user in, without PAM or privilege separation.
          "UsePAM no",
          "StrictModes no",
          "PasswordAuthentication no",
          "KbdInteractiveAuthentication no",
          "PermitRootLogin no",
          // Fleet-sized bursts of handshakes: 200 hosts connecting at once must not be dropped.
          "MaxStartups 400:30:800",
          "MaxSessions 100",
          "UseDNS no",
          // Ansible copies its modules over SFTP (or pipes them with pipelining); sshd's own server.
          "Subsystem sftp internal-sftp",
          "LogLevel ERROR",
          "",
        ].join("\n"),
      );
      fs.chownSync(config, uid, gid);
      const p = spawn("runuser", ["-u", user, "--", "env", `LD_LIBRARY_PATH=${libPath}`, sshd, "-D", "-e", "-f", config], { stdio: ["ignore", "ignore", "pipe"] });
      let err = "";
      p.stderr!.on("data", (d) => (err = (err + d).slice(-2000)));
      p.once("exit", (code) => {
        if (!stopped) console.error(`[bench] sshd ${config} exited ${code}: ${err}`);
      });
      procs.push(p);
    }
    await waitListening(ports, 20_000);
    const hostKeyLine = fs.readFileSync(path.join(dir, "host_ed25519.pub"), "utf8").trim().split(/\s+/).slice(0, 2).join(" ");
    return {
      user,
      ports,
      privateKeyPath: path.join(dir, "client_ed25519"),
      privateKey: fs.readFileSync(path.join(dir, "client_ed25519"), "utf8"),
      knownHosts: ports.map((p) => `[127.0.0.1]:${p} ${hostKeyLine}`).join("\n") + "\n",
      hostKeyLine,
      dir,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
