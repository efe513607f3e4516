// Release artifacts on a real host: the lab's Debian-built containerd and runc, registered as a local
// release, staged over SFTP by the real SSH layer, verified with sha256sum ON the node, installed; and a
// corrupted copy refused with the node's /usr/local unchanged. Practice node 41 (41-49 are this file's).
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureImage, execOn, startNode, stopNode, type LabImage, type PracticeNode } from "../../lab";
import { applyArtifactAction, buildReleases, ChecksumMismatchError, planArtifactAction, type LoadedReleases } from "../../server/artifacts";
import { practiceTarget } from "../../server/practice/target";
import { closeAllConnections, getRemoteHost, type RemoteHost } from "../../server/ssh";

const N = 41;
let image: LabImage;
let node: PracticeNode;
let host: RemoteHost;
let cat: LoadedReleases;
let work: string;

const sh = async (command: string) => {
  const r = await execOn(node, command);
  if (r.code !== 0) throw new Error(`${command}: exit ${r.code}: ${r.stderr}`);
  return r.stdout;
};
// Every path under /usr/local with its size, mode and mtime: any change shows.
const usrLocal = () => sh("sudo -n find /usr/local -printf '%p %s %m %T@\\n' | sort");
const stagedLeftovers = () => sh("ls -d /var/tmp/nodeprep-artifact.* 2>/dev/null || true");

beforeAll(async () => {
  image = await ensureImage();
  node = await startNode(N, { image });
  host = getRemoteHost(practiceTarget(node, { nodeId: `practice-${N}` }));
  cat = buildReleases({ localDir: image.artifactsDir });
  work = fs.mkdtempSync(path.join(os.tmpdir(), "nodeprep-artifacts-it-"));
});

afterAll(async () => {
  closeAllConnections();
  await stopNode(N);
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

describe("release artifacts on a practice node", () => {
  it("refuses a corrupted containerd tarball: mismatch named, nothing extracted, /usr/local unchanged, nothing left in /tmp", async () => {
    const real = fs.readFileSync(path.join(image.artifactsDir, image.releases.containerd.file));
    const corrupted = Buffer.from(real);
    corrupted[Math.floor(corrupted.length / 2)] ^= 0xff;
    // A damaged cache: the copy sits where the real file belongs (under the real sum).
    const cacheDir = path.join(work, "damaged-cache");
    fs.mkdirSync(path.join(cacheDir, image.releases.containerd.sha256), { recursive: true });
    fs.writeFileSync(path.join(cacheDir, image.releases.containerd.sha256, image.releases.containerd.file), corrupted);

    const before = await usrLocal();
    expect(before).not.toContain("/usr/local/bin/containerd");
    const action = planArtifactAction("containerd", image.releases.containerd.version, "amd64", { kind: "extract", dir: "/usr/local" }, { releases: cat });
    let error: unknown;
    try {
      await applyArtifactAction(host, action, { delivery: { kind: "cache" }, cache: { dir: cacheDir, localDir: null }, releases: cat });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ChecksumMismatchError);
    const m = error as ChecksumMismatchError;
    expect(m.file).toBe("containerd-1.6.20-linux-amd64.tar.gz");
    expect(m.expected).toBe(image.releases.containerd.sha256);
    expect(m.actual).toBe(createHash("sha256").update(corrupted).digest("hex"));
    expect(m.message).toContain(`expected ${m.expected}, got ${m.actual}`);
    expect(await usrLocal()).toBe(before);
    expect(await stagedLeftovers()).toBe("");
  });

  it("stages the real containerd tarball over SFTP, verifies it on the node, extracts it into /usr/local, cleans up", async () => {
    const progress: number[] = [];
    const lines: string[] = [];
    const action = planArtifactAction("containerd", null, "amd64", { kind: "extract", dir: "/usr/local" }, { releases: cat });
    expect(action.artifactId).toBe("containerd@1.6.20~local-debian12:amd64");
    const done = await applyArtifactAction(host, action, {
      delivery: { kind: "cache" },
      cache: { dir: path.join(work, "empty-cache"), localDir: image.artifactsDir },
      releases: cat,
      onProgress: (sent, total) => progress.push(sent / total),
      onLine: (l) => lines.push(l),
    });
    expect(done.sha256).toBe(image.releases.containerd.sha256);
    expect(progress.at(-1)).toBe(1);
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^sha256sum /var/tmp/nodeprep-artifact\\.\\w+/containerd-1\\.6\\.20-linux-amd64\\.tar\\.gz: ${image.releases.containerd.sha256}, the release list's sum: OK$`)));
    expect(await sh("/usr/local/bin/containerd --version")).toMatch(/^containerd \S+ v?1\.6\.20/);
    expect(await sh("sudo -n stat -c '%U %a' /usr/local/bin/ctr")).toBe("root 755\n");
    expect(await stagedLeftovers()).toBe("");
  });

  it("installs runc as a single file with its mode", async () => {
    const action = planArtifactAction("runc", null, "amd64", { kind: "file", path: "/usr/local/sbin/runc", mode: "755" }, { releases: cat });
    await applyArtifactAction(host, action, { delivery: { kind: "cache" }, cache: { dir: path.join(work, "empty-cache"), localDir: image.artifactsDir }, releases: cat });
    expect(await sh("sudo -n /usr/local/sbin/runc --version")).toMatch(/^runc version 1\.1\.5/);
    expect(await sh("sudo -n stat -c '%U %a' /usr/local/sbin/runc")).toBe("root 755\n");
    expect(await sh("sudo -n sha256sum /usr/local/sbin/runc")).toBe(`${image.releases.runc.sha256}  /usr/local/sbin/runc\n`);
    expect(await stagedLeftovers()).toBe("");
  });
});
