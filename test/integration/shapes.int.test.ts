// Every host shape prepared and proven end to end, one table: a practice node of the shape
// (its own Debian release, architecture or cgroup hierarchy), the whole wizard through the real engine
// (check, apply, verification), then proof like a cluster would give it: a tiny OCI image built here
// from a static busybox of the node's architecture, imported with ctr and run with runc under the
// systemd cgroup driver; then a reboot and every verification again. The release artifacts of EVERY
// shape are registered at once, so each row also proves the pick: the node gets the build of its own
// Debian release and architecture. The bullseye row also proves the refusal: Debian 12's containerd
// (needs glibc >= 2.34) refused on glibc 2.31 before anything is copied, naming the build that fits.
//
// bookworm itself is not a row: runtime.int.test.ts proves it the same way (and more). The arm64 row
// skips the reboot: not for speed (measured: the emulated node boots to SSH in 37 s, the wizard takes
// 69 s, the container 11 s), but because it runs bookworm's systemd and units, whose reboot the
// bookworm-cgroup1 row and the runtime tests already prove; it would add about a minute of CI.
// NODEPREP_SHAPES=bullseye,trixie runs a subset.
// Practice nodes 81-84 (apart from the other lane's 71-72: scripts/test.sh runs two lanes at once).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureImage, execOn, rebootNode, startNode, stopNode, type LabImage, type PracticeNode, type ShapeName } from "../../lab";
import { debianFile } from "../../lab/artifacts/build";
import { debianMirror } from "../../lab/mirror";
import { BUSYBOX_IMAGE_REF, buildBusyboxImage } from "../../lab/oci-image";
import type { ProbeResult } from "../../lib/contracts/catalog";
import type { HostFacts } from "../../lib/contracts/facts";
import type { RunEvent } from "../../lib/contracts/runs";

interface Row {
  shape: ShapeName;
  n: number;
  os: string;
  glibc: string;
  arch: "amd64" | "arm64";
  cgroup: "v1" | "v2";
  /** The containerd the wizard installs: the node's own Debian release's build. */
  containerd: string;
  reboot: boolean;
}

const ROWS: Row[] = [
  { shape: "bullseye", n: 81, os: "11", glibc: "2.31", arch: "amd64", cgroup: "v2", containerd: "containerd@1.4.13~local-debian11:amd64", reboot: true },
  { shape: "trixie", n: 82, os: "13", glibc: "2.41", arch: "amd64", cgroup: "v2", containerd: "containerd@1.7.24~local-debian13:amd64", reboot: true },
  { shape: "bookworm-cgroup1", n: 83, os: "12", glibc: "2.36", arch: "amd64", cgroup: "v1", containerd: "containerd@1.6.20~local-debian12:amd64", reboot: true },
  { shape: "bookworm-arm64", n: 84, os: "12", glibc: "2.36", arch: "arm64", cgroup: "v2", containerd: "containerd@1.6.20~local-debian12:arm64", reboot: false },
];
const wanted = process.env.NODEPREP_SHAPES?.split(",").map((s) => s.trim());
const rows = wanted ? ROWS.filter((r) => wanted.includes(r.shape)) : ROWS;

const ALL = ["kernel-modules", "sysctl", "containerd", "runc", "cni-plugins", "containerd-service", "cgroup-driver", "kubelet-cgroup-driver"];
const images = new Map<ShapeName, LabImage>();
let dataDir: string;
let mods: {
  engine: typeof import("../../server/runs").engine;
  getRun: (runId: string) => ReturnType<typeof import("../../server/runs/repository").getRun>;
  listEvents: (runId: string) => RunEvent[];
  closeAllConnections: typeof import("../../server/ssh").closeAllConnections;
  nodeIdOf: (name: string) => string;
  remoteHost: (nodeId: string) => import("../../server/ssh").RemoteHost;
  gatherFacts: typeof import("../../server/facts/gather").gatherFacts;
};

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "np-shapes-it-"));
  process.env.NODEPREP_DATA_DIR = dataDir;
  // Every shape's artifacts at once (as a mixed fleet's dashboard would have them): the pick must fit.
  for (const shape of ["bookworm", ...rows.map((r) => r.shape)] as ShapeName[]) images.set(shape, await ensureImage({ shape }));
  process.env.NODEPREP_LOCAL_RELEASES = [...new Set([...images.values()].map((i) => i.artifactsDir))].join(path.delimiter);
  const { db } = await import("../../server/db");
  const runs = await import("../../server/runs");
  const repo = await import("../../server/runs/repository");
  const ssh = await import("../../server/ssh");
  const targets = await import("../../server/nodes/targets");
  const { syncPracticeNodes } = await import("../../server/practice/sync");
  const { gatherFacts } = await import("../../server/facts/gather");
  mods = {
    engine: runs.engine,
    getRun: (id) => repo.getRun(db(), id),
    listEvents: (id) => repo.listEvents(db(), id),
    closeAllConnections: ssh.closeAllConnections,
    nodeIdOf: (name) => syncPracticeNodes(db()).find((n) => n.name === name)!.id,
    remoteHost: (id) => ssh.getRemoteHost(targets.loadTarget(db(), id)),
    gatherFacts,
  };
});

afterAll(async () => {
  mods?.closeAllConnections();
  for (const r of rows) await stopNode(r.n);
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

const verified = (events: RunEvent[]): Record<string, ProbeResult> =>
  Object.fromEntries(events.flatMap((e) => (e.type === "probe" && e.phase === "verify" ? [[e.result.probeId, e.result]] : [])));
type PlanEvent = Extract<RunEvent, { type: "plan" }>;
const plans = (events: RunEvent[]): Record<string, PlanEvent> => Object.fromEntries(events.flatMap((e) => (e.type === "plan" ? [[e.stepId, e]] : [])));

describe.each(rows)("a $shape practice node", (row) => {
  // An emulated arm64 guest runs every command several times slower (README "Practice-node shapes").
  const budget = (ms: number) => (row.arch === "arm64" ? ms * 6 : ms);
  let node: PracticeNode;
  let nodeId: string;
  const sh = async (command: string, timeoutMs?: number) => {
    const r = await execOn(node, command, timeoutMs);
    if (r.code !== 0) throw new Error(`${command}: exit ${r.code}: ${r.stderr}`);
    return r.stdout;
  };
  async function run(stepIds: string[], mode: "apply" | "check" = "apply", versions?: Record<string, string>) {
    const { runId, done } = mods.engine().start({ stepIds, nodeIds: [nodeId], mode, actor: "it", versions });
    await done;
    return { run: mods.getRun(runId)!, events: mods.listEvents(runId) };
  }
  const allVerified = (events: RunEvent[]) => {
    const v = verified(events);
    const bad = Object.values(v).filter((p) => p.status === "fail" || p.status === "unknown");
    expect(bad.map((p) => `${p.probeId}: ${p.observed}`)).toEqual([]);
    return v;
  };

  beforeAll(async () => {
    node = await startNode(row.n, { image: images.get(row.shape)! });
    nodeId = mods.nodeIdOf(node.name);
  }, budget(120_000));

  it("is the shape it claims: release, C library, architecture and cgroup version in its facts", async () => {
    const facts: HostFacts = await mods.gatherFacts(mods.remoteHost(nodeId));
    expect({ os: facts.os.versionId, libc: facts.libc, arch: facts.arch, cgroup: facts.cgroup, init: facts.init }).toEqual({
      os: row.os,
      libc: { kind: "glibc", version: row.glibc },
      arch: row.arch,
      cgroup: row.cgroup,
      init: "systemd",
    });
    expect(facts.hostname).toBe(node.name);
    expect(facts.machineId).toBe(node.machineId);
  }, budget(120_000));

  if (row.shape === "bullseye") {
    it("refuses Debian 12's containerd (glibc >= 2.34) on glibc 2.31 before copying anything, and names the Debian 11 build", async () => {
      const before = await sh("sudo -n find /usr/local /tmp -printf '%p %s %T@\\n' | sort");
      const { run: r, events } = await run(["containerd"], "apply", { containerd: "1.6.20" });
      expect(r.nodes[0].status).toBe("failed");
      expect(r.nodes[0].message).toContain(
        "refusing containerd-1.6.20-linux-amd64.tar.gz on this host: containerd-1.6.20-linux-amd64.tar.gz needs glibc >= 2.34, the host has 2.31",
      );
      expect(r.nodes[0].message).toContain("containerd 1.4.13 (local, Debian 11 build: containerd-1.4.13-linux-amd64.tar.gz) fits this host: choose version 1.4.13.");
      // Refused in the plan: no command ran, nothing was staged or copied.
      expect(events.filter((e) => e.type === "command-started")).toEqual([]);
      expect(await sh("sudo -n find /usr/local /tmp -printf '%p %s %T@\\n' | sort")).toBe(before);
    }, budget(180_000));
  }

  it("goes through every wizard step: check, apply, verification; the pick is its own release's build", async () => {
    const check = await run(ALL, "check");
    expect(check.run.nodes[0].status).not.toBe("failed");
    const { run: r, events } = await run(ALL);
    expect(r.nodes[0]).toMatchObject({ status: "changed", message: "changed and verified" });
    expect(plans(events).containerd.actions[0]).toMatchObject({ kind: "upload-artifact", artifactId: row.containerd });
    const v = allVerified(events);
    expect(v["containerd-active"].status).toBe("ok");
    expect(v["containerd-systemd-cgroup"].detail).toContain(row.cgroup === "v1" ? "the systemd driver still applies on v1" : "this host runs cgroup v2");
    // A second run changes nothing.
    const again = await run(ALL);
    expect(again.run.nodes[0].status).toBe("unchanged");
  }, budget(600_000));

  it("runs a container: busybox of its architecture imported with ctr, run with runc and the systemd cgroup driver", async () => {
    const busybox =
      row.arch === "amd64"
        ? "/bin/busybox"
        : debianFile({ suite: "bookworm", debian: "12", arch: row.arch, mirror: debianMirror() }, "busybox-static", "bin/busybox", path.join(dataDir, `busybox.${row.arch}`));
    const tar = buildBusyboxImage(path.join(dataDir, `busybox-oci-${row.shape}.tar`), busybox, row.arch);
    await mods.remoteHost(nodeId).upload(tar, "/tmp/busybox-oci.tar");
    expect(await sh("sudo -n ctr images import /tmp/busybox-oci.tar", 300_000)).toContain(BUSYBOX_IMAGE_REF);
    const out = await sh(
      `sudo -n ctr run --rm --runc-binary /usr/local/sbin/runc --runc-systemd-cgroup --cgroup system.slice:nodeprep:shape ${BUSYBOX_IMAGE_REF} shape /bin/sh -c 'echo hello from busybox; uname -m; cat /proc/self/cgroup'`,
      300_000,
    );
    const [hello, machine, ...cgroups] = out.trim().split("\n");
    expect(hello).toBe("hello from busybox");
    expect(machine).toBe(row.arch === "amd64" ? "x86_64" : "aarch64");
    // In the transient systemd scope runc asked systemd for: on v2 one line, on v1 one per controller.
    if (row.cgroup === "v2") expect(cgroups).toEqual(["0::/system.slice/nodeprep-shape.scope"]);
    else expect(cgroups.find((l) => /:name=systemd:/.test(l))).toMatch(/:name=systemd:\/system\.slice\/nodeprep-shape\.scope$/);
  }, budget(300_000));

  it.runIf(row.reboot)("after a reboot, every step verifies again (modules, sysctls and containerd come back by themselves)", async () => {
    mods.closeAllConnections();
    await rebootNode(node);
    const { run: r, events } = await run(ALL, "check");
    allVerified(events);
    expect(r.nodes[0].status).toBe("unchanged");
  }, 400_000);
});
