// One QEMU process per practice node. Golden boot and restored nodes must use the same machine
// definition (memory, devices, CPU), or the RAM snapshot will not load: both build argv here.
import { spawn } from "node:child_process";
import fs from "node:fs";
import { isAlive } from "./state";

export const NODE_MEMORY_MB = 768;

export type Accel = "tcg" | "kvm";

/** KVM boots hang on these machines (design.md), so TCG is the default; opt in with NODEPREP_LAB_ACCEL=kvm. */
export function chooseAccel(): Accel {
  const wanted = process.env.NODEPREP_LAB_ACCEL;
  if (wanted === "kvm") {
    try {
      fs.accessSync("/dev/kvm", fs.constants.R_OK | fs.constants.W_OK);
      return "kvm";
    } catch {
      console.warn("[lab] NODEPREP_LAB_ACCEL=kvm but /dev/kvm is not usable: using TCG");
    }
  }
  return "tcg";
}

export interface VmSpec {
  kernel: string;
  initrd: string;
  disk: string;
  sshPort: number;
  qmpSocket: string;
  pidFile: string;
  consoleLog: string;
  accel: Accel;
  /** Restore RAM + device state from this file instead of booting. */
  incomingState?: string;
  /** Extra guestfwd rules, e.g. the artifact mirror: "tcp:10.0.2.100:80-tcp:127.0.0.1:3000". */
  guestForwards?: string[];
  /** The guest's architecture (default amd64): arm64 runs emulated under qemu-system-aarch64 -M virt. */
  arch?: "amd64" | "arm64";
  /** Kernel command-line words beyond the common ones (e.g. systemd.unified_cgroup_hierarchy=0). */
  cmdline?: string[];
}

export const qemuBinary = (arch: VmSpec["arch"] = "amd64") => (arch === "arm64" ? "qemu-system-aarch64" : "qemu-system-x86_64");

const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

export function qemuArgs(spec: VmSpec): string[] {
  const netdev = [
    "user",
    "id=net0",
    "restrict=on",
    `hostfwd=tcp:127.0.0.1:${spec.sshPort}-:22`,
    ...(spec.guestForwards ?? []).map((g) => `guestfwd=${g}`),
  ].join(",");
  const arm64 = spec.arch === "arm64";
  const append = ["root=/dev/vda rw", `console=${arm64 ? "ttyAMA0" : "ttyS0"}`, "quiet systemd.show_status=false", ...(spec.cmdline ?? [])].join(" ");
  const machine = arm64
    ? // KVM cannot run an arm64 guest on this x86 host: always TCG. cortex-a72 rather than `max`,
      // whose emulated pointer authentication makes every function call slow.
      ["-machine", "virt", "-accel", "tcg,thread=multi", "-cpu", "cortex-a72"]
    : ["-machine", "pc", "-accel", spec.accel === "kvm" ? "kvm" : "tcg,thread=multi", "-cpu", spec.accel === "kvm" ? "host" : "max"];
  // On `virt` the disk is an explicit PCI device: `if=virtio` would pick the MMIO transport there.
  const disk = arm64
    ? ["-drive", `file=${spec.disk},if=none,id=disk0,format=qcow2,cache=unsafe`, "-device", "virtio-blk-pci,drive=disk0"]
    : ["-drive", `file=${spec.disk},if=virtio,format=qcow2,cache=unsafe`];
  const args = [
    "-name", "nodeprep-practice",
    ...machine,
    "-smp", "1",
    "-m", String(NODE_MEMORY_MB),
    "-display", "none",
    "-serial", `file:${spec.consoleLog}`,
    "-kernel", spec.kernel,
    "-initrd", spec.initrd,
    "-append", append,
    ...disk,
    "-netdev", netdev,
    "-device", "virtio-net-pci,netdev=net0",
    "-qmp", `unix:${spec.qmpSocket},server=on,wait=off`,
    "-pidfile", spec.pidFile,
    "-daemonize",
  ];
  if (spec.incomingState) args.push("-incoming", `exec:cat ${shellQuote(spec.incomingState)}`);
  return args;
}

/** Start QEMU daemonized; resolves with its pid once the pid file exists. */
export async function startVm(spec: VmSpec): Promise<number> {
  fs.rmSync(spec.pidFile, { force: true });
  fs.rmSync(spec.qmpSocket, { force: true });
  const binary = qemuBinary(spec.arch);
  const child = spawn(binary, qemuArgs(spec), { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (d) => (stderr += d));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once("error", (e) => reject(new Error(`${binary} could not start: ${e.message} (Debian package ${spec.arch === "arm64" ? "qemu-system-arm" : "qemu-system-x86"})`)));
    child.once("exit", resolve);
  });
  if (code !== 0) throw new Error(`${binary} exited with ${code}: ${stderr.trim()}`);
  return Number(fs.readFileSync(spec.pidFile, "utf8").trim());
}

export async function killVm(pid: number, timeoutMs = 5000): Promise<void> {
  if (!isAlive(pid)) return;
  process.kill(pid, "SIGTERM");
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  if (isAlive(pid)) process.kill(pid, "SIGKILL");
}
