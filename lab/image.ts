// Practice-node images, one per shape (lab/shapes.ts): built once per machine from Debian's packages
// and cached under a hash of their build inputs. A build = rootfs + kernel/initrd, release artifacts
// from that release's packages, and a golden RAM+disk snapshot that every node restores from in
// seconds instead of booting (~27 s for amd64 under TCG).
import { createHash } from "node:crypto";
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { buildArtifacts, type LocalReleases } from "./artifacts/build";
import { debianMirror } from "./mirror";
import { imagesDir } from "./paths";
import { isPortFree } from "./ports";
import { Qmp } from "./qmp";
import { DEFAULT_SHAPE, shapeOf, type Shape, type ShapeName } from "./shapes";
import { sshExec, waitForSsh } from "./ssh";
import { isAlive, LAB_USER } from "./state";
import { chooseAccel, killVm, qemuArgs, startVm, type Accel, type VmSpec } from "./vm";

export interface LabImage {
  dir: string;
  shape: ShapeName;
  arch: "amd64" | "arm64";
  /** Kernel command-line words of the shape (the golden boot used them; restores must match). */
  cmdline: string[];
  base: string;
  golden: string;
  goldenState: string;
  kernel: string;
  initrd: string;
  privateKeyPath: string;
  publicKey: string;
  accel: Accel;
  artifactsDir: string;
  releases: LocalReleases;
  /** How long the golden boot took to reach SSH, and the whole build (seconds), as measured when built. */
  timings: { bootS: number | null; buildS: number | null };
}

/** Files whose content defines every image: change one and the next run rebuilds. */
function buildInputs(): string[] {
  const here = __dirname;
  return [
    ...fs.readdirSync(path.join(here, "image")).map((f) => path.join(here, "image", f)),
    path.join(here, "artifacts", "build.ts"),
    path.join(here, "artifacts", "elf.ts"),
    path.join(here, "artifacts", "containerd.service"),
  ].sort();
}

/** The part of a VM's definition that a shape fixes (the snapshot restores only into the same one). */
export function shapeVm(shape: Shape, accel: Accel): Pick<VmSpec, "arch" | "cmdline" | "accel"> {
  // KVM cannot run an arm64 guest here; vm.ts ignores accel for it, and so does the hash.
  return { arch: shape.arch, cmdline: shape.cmdline, accel: shape.arch === "arm64" ? "tcg" : accel };
}

export function imageHash(accel: Accel, shapeName: ShapeName = DEFAULT_SHAPE): string {
  const shape = shapeOf(shapeName);
  const h = createHash("sha256");
  for (const f of buildInputs()) {
    h.update(path.basename(f)).update("\0").update(fs.readFileSync(f)).update("\0");
  }
  h.update(JSON.stringify(shape));
  // The snapshot only restores into the same machine definition: hash the QEMU argv itself.
  h.update(JSON.stringify(qemuArgs({ kernel: "K", initrd: "I", disk: "D", sshPort: 1, qmpSocket: "Q", pidFile: "P", consoleLog: "C", ...shapeVm(shape, accel) })));
  return h.digest("hex").slice(0, 16);
}

function readJson<T>(file: string): T | undefined {
  return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, "utf8")) as T) : undefined;
}

function describe(dir: string, shape: Shape, accel: Accel): LabImage {
  const timings = readJson<LabImage["timings"]>(path.join(dir, "timings.json")) ?? { bootS: null, buildS: null };
  return {
    dir,
    shape: shape.name,
    arch: shape.arch,
    cmdline: shape.cmdline,
    base: path.join(dir, "base.qcow2"),
    golden: path.join(dir, "golden.qcow2"),
    goldenState: path.join(dir, "golden.state"),
    kernel: path.join(dir, "vmlinuz"),
    initrd: path.join(dir, "initrd.img"),
    privateKeyPath: path.join(dir, "id_ed25519"),
    publicKey: fs.existsSync(path.join(dir, "id_ed25519.pub")) ? fs.readFileSync(path.join(dir, "id_ed25519.pub"), "utf8").trim() : "",
    accel: shapeVm(shape, accel).accel!,
    artifactsDir: path.join(dir, "artifacts"),
    releases: readJson<LocalReleases>(path.join(dir, "artifacts", "releases.json")) ?? (undefined as unknown as LocalReleases),
    timings,
  };
}

const imageDirOf = (shape: ShapeName, accel: Accel) => path.join(imagesDir(), `${shape}-${imageHash(accel, shape)}`);

/** The cached image of a shape (default bookworm) if it is complete, else null (never builds). */
export function findImage(shapeName: ShapeName = DEFAULT_SHAPE): LabImage | null {
  const shape = shapeOf(shapeName);
  const accel = chooseAccel();
  const dir = imageDirOf(shape.name, accel);
  return fs.existsSync(path.join(dir, "COMPLETE")) ? describe(dir, shape, accel) : null;
}

/** Build (or reuse) the image of a shape, default bookworm. Prints what it does, with elapsed time. */
export async function ensureImage(opts: { shape?: ShapeName } = {}): Promise<LabImage> {
  const shape = shapeOf(opts.shape);
  const found = findImage(shape.name);
  if (found) return found;
  // A shape that boots another's disk needs that image first (its disk, kernel and artifacts).
  const parent = shape.diskOf ? await ensureImage({ shape: shape.diskOf }) : null;
  const accel = chooseAccel();
  const dir = imageDirOf(shape.name, accel);
  const lock = `${dir}.lock`;
  fs.mkdirSync(imagesDir(), { recursive: true });
  await acquireLock(lock);
  try {
    if (fs.existsSync(path.join(dir, "COMPLETE"))) return describe(dir, shape, accel);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    const started = Date.now();
    const log = (msg: string) => console.log(`[lab ${shape.name}] ${msg} (${Math.round((Date.now() - started) / 1000)}s)`);
    log(`building the ${shape.summary} image in ${dir}${parent ? ` from the ${parent.shape} disk` : " (minutes on a fresh machine)"}`);
    if (parent) {
      // Same disk, kernel, login key and artifacts; only the kernel command line (and so the
      // snapshot) differs. Hard links: nothing is copied, and the files are read-only.
      for (const f of ["base.qcow2", "vmlinuz", "initrd.img", "id_ed25519", "id_ed25519.pub"]) fs.linkSync(path.join(parent.dir, f), path.join(dir, f));
      fs.cpSync(path.join(parent.dir, "host-keys"), path.join(dir, "host-keys"), { recursive: true });
      fs.cpSync(parent.artifactsDir, path.join(dir, "artifacts"), { recursive: true });
    } else {
      execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "nodeprep-practice", "-f", path.join(dir, "id_ed25519")]);
      const mirror = debianMirror();
      await runScript(path.join(__dirname, "image", "build-rootfs.sh"), [dir, path.join(dir, "id_ed25519.pub"), shape.suite, shape.arch], {
        NODEPREP_DEBIAN_MIRROR: mirror,
        NODEPREP_BUILD_T0: String(Math.floor(started / 1000)),
      });
      log(`release artifacts from ${shape.suite}'s containerd, runc and containernetworking-plugins (${shape.arch})`);
      await buildArtifacts(path.join(dir, "artifacts"), { suite: shape.suite, debian: shape.debian, arch: shape.arch, mirror }, log);
    }
    const image = describe(dir, shape, accel);
    log(`booting the golden node once (${shape.arch === "arm64" ? "emulated arm64: several minutes" : "about 30 s"}) to take a RAM+disk snapshot`);
    const bootS = await takeGoldenSnapshot(image, log);
    const buildS = Math.round((Date.now() - started) / 1000);
    fs.writeFileSync(path.join(dir, "timings.json"), JSON.stringify({ bootS, buildS }) + "\n");
    fs.writeFileSync(path.join(dir, "COMPLETE"), `${new Date().toISOString()} ${buildS}s\n`);
    log("image ready");
    return describe(dir, shape, accel);
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

async function acquireLock(lock: string) {
  for (let i = 0; ; i++) {
    try {
      fs.mkdirSync(lock);
      fs.writeFileSync(path.join(lock, "pid"), String(process.pid));
      return;
    } catch {
      const holder = Number(fs.readFileSync(path.join(lock, "pid"), "utf8") || 0);
      if (holder && !isAlive(holder)) {
        fs.rmSync(lock, { recursive: true, force: true });
        continue;
      }
      if (i % 60 === 0) console.log(`[lab] waiting for another image build (pid ${holder}) to finish`);
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}

function runScript(script: string, args: string[], env: Record<string, string>): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn("bash", [script, ...args], { stdio: ["ignore", "inherit", "inherit"], env: { ...process.env, ...env } });
    child.once("error", reject);
    child.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`${path.basename(script)} exited with ${code}`))));
  });
}

/** Boot the image once, let it settle, and save RAM + device state. Returns the boot time to SSH (s). */
async function takeGoldenSnapshot(image: LabImage, log: (msg: string) => void): Promise<number> {
  // A relative backing path keeps the image directory relocatable.
  execFileSync("qemu-img", ["create", "-q", "-f", "qcow2", "-F", "qcow2", "-b", path.basename(image.base), image.golden], { cwd: image.dir });
  let port = 2299;
  while (!(await isPortFree(port))) port++;
  const qmpSocket = path.join(image.dir, "golden.qmp");
  const pid = await startVm({
    kernel: image.kernel,
    initrd: image.initrd,
    disk: image.golden,
    sshPort: port,
    qmpSocket,
    pidFile: path.join(image.dir, "golden.pid"),
    consoleLog: path.join(image.dir, "golden-console.log"),
    ...shapeVm(shapeOf(image.shape), image.accel),
  });
  try {
    const bootStart = Date.now();
    const target = { host: "127.0.0.1", port, username: LAB_USER, privateKey: fs.readFileSync(image.privateKeyPath, "utf8") };
    const emulated = image.arch === "arm64";
    await waitForSsh(target, emulated ? 900_000 : 240_000);
    // Settle: let boot finish so every restored node starts from a quiet, fully-booted system.
    await sshExec(target, "systemctl is-system-running --wait; sync", emulated ? 600_000 : 120_000);
    const bootS = Math.round((Date.now() - bootStart) / 1000);
    log(`golden node booted to SSH and settled in ${bootS} s; saving the snapshot`);
    await new Promise((r) => setTimeout(r, 500));
    const qmp = await Qmp.connect(qmpSocket);
    await qmp.execute("stop");
    await qmp.execute("migrate", { uri: `exec:cat > '${image.goldenState.replace(/'/g, `'\\''`)}'` });
    await qmp.waitFor<{ status?: string }>("query-migrate", (s) => s.status === "completed" || s.status === "failed", 300_000).then((s) => {
      if (s.status !== "completed") throw new Error(`golden snapshot failed: ${JSON.stringify(s)}`);
    });
    await qmp.execute("quit").catch(() => undefined);
    qmp.close();
    fs.chmodSync(image.golden, 0o444);
    return bootS;
  } finally {
    await killVm(pid);
    fs.rmSync(qmpSocket, { force: true });
  }
}
