// The practice-node image: built once per machine from Debian's packages and cached under a hash of
// its build inputs. A build = rootfs + kernel/initrd, release artifacts, and a golden RAM+disk
// snapshot that every node restores from in seconds instead of booting for ~27 s.
import { createHash } from "node:crypto";
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { buildArtifacts, type LocalReleases } from "./artifacts/build";
import { imagesDir } from "./paths";
import { isPortFree } from "./ports";
import { Qmp } from "./qmp";
import { sshExec, waitForSsh } from "./ssh";
import { isAlive, LAB_USER } from "./state";
import { chooseAccel, killVm, qemuArgs, startVm, type Accel } from "./vm";


export interface LabImage {
  dir: string;
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
}

const log = (msg: string) => console.log(`[lab] ${msg}`);

/** Files whose content defines the image: change one and the next run rebuilds. */
function buildInputs(): string[] {
  const here = __dirname;
  return [
    ...fs.readdirSync(path.join(here, "image")).map((f) => path.join(here, "image", f)),
    path.join(here, "artifacts", "build.ts"),
    path.join(here, "artifacts", "containerd.service"),
  ].sort();
}

export function imageHash(accel: Accel): string {
  const h = createHash("sha256");
  for (const f of buildInputs()) {
    h.update(path.basename(f)).update("\0").update(fs.readFileSync(f)).update("\0");
  }
  // The snapshot only restores into the same machine definition: hash the QEMU argv itself.
  h.update(JSON.stringify(qemuArgs({ kernel: "K", initrd: "I", disk: "D", sshPort: 1, qmpSocket: "Q", pidFile: "P", consoleLog: "C", accel })));
  return h.digest("hex").slice(0, 16);
}

function describe(dir: string, accel: Accel): LabImage {
  return {
    dir,
    base: path.join(dir, "base.qcow2"),
    golden: path.join(dir, "golden.qcow2"),
    goldenState: path.join(dir, "golden.state"),
    kernel: path.join(dir, "vmlinuz"),
    initrd: path.join(dir, "initrd.img"),
    privateKeyPath: path.join(dir, "id_ed25519"),
    publicKey: fs.existsSync(path.join(dir, "id_ed25519.pub")) ? fs.readFileSync(path.join(dir, "id_ed25519.pub"), "utf8").trim() : "",
    accel,
    artifactsDir: path.join(dir, "artifacts"),
    releases: fs.existsSync(path.join(dir, "artifacts", "releases.json"))
      ? (JSON.parse(fs.readFileSync(path.join(dir, "artifacts", "releases.json"), "utf8")) as LocalReleases)
      : (undefined as unknown as LocalReleases),
  };
}

/** The cached image if it is complete, else null (never builds). */
export function findImage(): LabImage | null {
  const accel = chooseAccel();
  const dir = path.join(imagesDir(), imageHash(accel));
  return fs.existsSync(path.join(dir, "COMPLETE")) ? describe(dir, accel) : null;
}

export async function ensureImage(): Promise<LabImage> {
  const found = findImage();
  if (found) return found;
  const accel = chooseAccel();
  const dir = path.join(imagesDir(), imageHash(accel));
  const lock = `${dir}.lock`;
  fs.mkdirSync(imagesDir(), { recursive: true });
  await acquireLock(lock);
  try {
    if (fs.existsSync(path.join(dir, "COMPLETE"))) return describe(dir, accel);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    const started = Date.now();
    log(`building the practice-node image in ${dir} (a few minutes on a fresh machine)`);
    execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "nodeprep-practice", "-f", path.join(dir, "id_ed25519")]);
    await runScript(path.join(__dirname, "image", "build-rootfs.sh"), [dir, path.join(dir, "id_ed25519.pub")]);
    log("building release artifacts from Debian's containerd, runc and containernetworking-plugins");
    await buildArtifacts(path.join(dir, "artifacts"));
    const image = describe(dir, accel);
    log("booting the golden node once to take a RAM+disk snapshot");
    await takeGoldenSnapshot(image);
    fs.writeFileSync(path.join(dir, "COMPLETE"), `${new Date().toISOString()} ${Math.round((Date.now() - started) / 1000)}s\n`);
    log(`image ready in ${Math.round((Date.now() - started) / 1000)} s`);
    return describe(dir, accel);
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
      if (i % 60 === 0) log(`waiting for another image build (pid ${holder}) to finish`);
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}

function runScript(script: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn("bash", [script, ...args], { stdio: ["ignore", "inherit", "inherit"] });
    child.once("error", reject);
    child.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`${path.basename(script)} exited with ${code}`))));
  });
}

async function takeGoldenSnapshot(image: LabImage) {
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
    accel: image.accel,
  });
  try {
    const bootStart = Date.now();
    const target = { host: "127.0.0.1", port, username: LAB_USER, privateKey: fs.readFileSync(image.privateKeyPath, "utf8") };
    await waitForSsh(target, 240_000);
    // Settle: let boot finish so every restored node starts from a quiet, fully-booted system.
    await sshExec(target, "systemctl is-system-running --wait; sync", 120_000);
    log(`golden node booted to SSH in ${Math.round((Date.now() - bootStart) / 1000)} s`);
    await new Promise((r) => setTimeout(r, 500));
    const qmp = await Qmp.connect(qmpSocket);
    await qmp.execute("stop");
    await qmp.execute("migrate", { uri: `exec:cat > '${image.goldenState.replace(/'/g, `'\\''`)}'` });
    await qmp.waitFor<{ status?: string }>("query-migrate", (s) => s.status === "completed" || s.status === "failed", 120_000).then((s) => {
      if (s.status !== "completed") throw new Error(`golden snapshot failed: ${JSON.stringify(s)}`);
    });
    await qmp.execute("quit").catch(() => undefined);
    qmp.close();
    fs.chmodSync(image.golden, 0o444);
  } finally {
    await killVm(pid);
    fs.rmSync(qmpSocket, { force: true });
  }
}

