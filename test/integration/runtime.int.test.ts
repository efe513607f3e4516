// The container runtime steps on a real practice node, through the real engine, SSH layer,
// facts, catalog, artifact staging and SQLite, with the lab's Debian-built release registered as the
// local release (NODEPREP_LOCAL_RELEASES): a corrupted artifact is refused with /usr/local unchanged;
// the whole wizard goes from nothing to "containerd running, CRI ok, SystemdCgroup true (effective),
// runc and CNI present"; a second run changes nothing; Docker's `disabled_plugins = ["cri"]` is
// detected and fixed; and a container really runs (busybox image built here, ctr run, runc, systemd
// cgroups). Practice node 62 (61-69 are the runtime tests').
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureImage, execOn, startNode, stopNode, type LabImage, type PracticeNode } from "../../lab";
import { BUSYBOX_IMAGE_REF, buildBusyboxImage } from "../../lab/oci-image";
import type { ProbeResult } from "../../lib/contracts/catalog";
import type { RunEvent } from "../../lib/contracts/runs";

const N = 62;
const ALL = ["kernel-modules", "sysctl", "containerd", "runc", "cni-plugins", "containerd-service", "cgroup-driver", "kubelet-cgroup-driver"];
let node: PracticeNode;
let image: LabImage;
let nodeId: string;
let dataDir: string;
let mods: {
  engine: typeof import("../../server/runs").engine;
  getRun: (runId: string) => ReturnType<typeof import("../../server/runs/repository").getRun>;
  listEvents: (runId: string) => RunEvent[];
  closeAllConnections: typeof import("../../server/ssh").closeAllConnections;
  remoteHost: () => import("../../server/ssh").RemoteHost;
};

const sh = async (command: string, timeoutMs?: number) => {
  const r = await execOn(node, command, timeoutMs);
  if (r.code !== 0) throw new Error(`${command}: exit ${r.code}: ${r.stderr}`);
  return r.stdout;
};
// Every path under /usr/local with size, mode and mtime: any change shows.
const usrLocal = () => sh("sudo -n find /usr/local -printf '%p %s %m %T@\\n' | sort");

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "np-runtime-it-"));
  process.env.NODEPREP_DATA_DIR = dataDir;
  image = await ensureImage();
  process.env.NODEPREP_LOCAL_RELEASES = image.artifactsDir;
  node = await startNode(N, { image });
  const { db } = await import("../../server/db");
  const { syncPracticeNodes } = await import("../../server/practice/sync");
  nodeId = syncPracticeNodes(db()).find((n) => n.name === node.name)!.id;
  const runs = await import("../../server/runs");
  const repo = await import("../../server/runs/repository");
  const ssh = await import("../../server/ssh");
  const targets = await import("../../server/nodes/targets");
  mods = {
    engine: runs.engine,
    getRun: (id) => repo.getRun(db(), id),
    listEvents: (id) => repo.listEvents(db(), id),
    closeAllConnections: ssh.closeAllConnections,
    remoteHost: () => ssh.getRemoteHost(targets.loadTarget(db(), nodeId)),
  };
});

afterAll(async () => {
  mods?.closeAllConnections();
  await stopNode(N);
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

async function run(stepIds: string[], mode: "apply" | "check" = "apply") {
  const { runId, done } = mods.engine().start({ stepIds, nodeIds: [nodeId], mode, actor: "it" });
  await done;
  return { run: mods.getRun(runId)!, events: mods.listEvents(runId) };
}
const verified = (events: RunEvent[]): Record<string, ProbeResult> =>
  Object.fromEntries(events.flatMap((e) => (e.type === "probe" && e.phase === "verify" ? [[e.result.probeId, e.result]] : [])));
type PlanEvent = Extract<RunEvent, { type: "plan" }>;
const plans = (events: RunEvent[]): Record<string, PlanEvent> =>
  Object.fromEntries(events.flatMap((e) => (e.type === "plan" ? [[e.stepId, e]] : [])));

describe("the runtime steps on a practice node", () => {
  it("refuses a corrupted containerd tarball: the run fails naming the sums, /usr/local is unchanged", async () => {
    const { containerd } = image.releases;
    const real = fs.readFileSync(path.join(image.artifactsDir, containerd.file));
    const corrupted = Buffer.from(real);
    corrupted[Math.floor(corrupted.length / 2)] ^= 0xff;
    // The dashboard's cache (<data dir>/artifacts/<sha256>/<file>) is looked up before the local
    // release directory: a damaged copy there is what the engine stages.
    const cached = path.join(dataDir, "artifacts", containerd.sha256, containerd.file);
    fs.mkdirSync(path.dirname(cached), { recursive: true });
    fs.writeFileSync(cached, corrupted);
    const before = await usrLocal();
    try {
      const { run: r, events } = await run(["containerd"]);
      expect(r.status).toBe("failed");
      const actual = createHash("sha256").update(corrupted).digest("hex");
      expect(r.nodes[0].message).toContain(`containerd: sha256 mismatch for ${containerd.file}`);
      expect(r.nodes[0].message).toContain(`expected ${containerd.sha256}, got ${actual}`);
      expect(plans(events).containerd.actions[0]).toMatchObject({ kind: "upload-artifact", artifactId: "containerd@1.6.20~local-debian12:amd64" });
      expect(events.some((e) => e.type === "phase" && e.phase === "verify")).toBe(false);
    } finally {
      fs.rmSync(path.dirname(cached), { recursive: true, force: true });
    }
    expect(await usrLocal()).toBe(before);
    expect(await sh("ls -d /var/tmp/nodeprep-artifact.* 2>/dev/null || true")).toBe("");
  });

  it("the whole wizard, from nothing: containerd running, CRI ok, SystemdCgroup true (effective), runc and CNI present", async () => {
    const { run: r, events } = await run(ALL);
    expect(r.nodes[0].message).toBe("changed and verified");
    expect(r.status).toBe("succeeded");
    const started = events.flatMap((e) => (e.type === "command-started" ? [e.command] : []));
    expect(started).toEqual(
      expect.arrayContaining([
        // The plan's seed-style lines (the lab builds the tarball on each machine, so its sum is the image's).
        expect.stringMatching(new RegExp(`^# containerd-1\\.6\\.20-linux-amd64\\.tar\\.gz \\(containerd 1\\.6\\.20\\): uploaded from the dashboard's cache over SFTP to /var/tmp/[^\\n]*\\necho '${image.releases.containerd.sha256}  /var/tmp/containerd-1\\.6\\.20-linux-amd64\\.tar\\.gz' \\| sha256sum -c &&\\ntar Cxzvf /usr/local /var/tmp/containerd-1\\.6\\.20-linux-amd64\\.tar\\.gz &&`)),
        expect.stringMatching(/\ninstall -m 755 \/var\/tmp\/runc\.amd64 \/usr\/local\/sbin\/runc &&\n/),
        expect.stringMatching(/\nmkdir -p \/opt\/cni\/bin &&\ntar Cxzvf \/opt\/cni\/bin \/var\/tmp\/cni-plugins-linux-amd64-v1\.1\.1\.tgz &&\n/),
        // The release's unit is a file like any other: written from the dashboard's checked copy.
        expect.stringMatching(/^mkdir -p \/usr\/local\/lib\/systemd\/system &&\ntee \/usr\/local\/lib\/systemd\/system\/\.containerd\.service\.nodeprep > \/dev\/null <<'EOF' &&\n/),
        "systemctl daemon-reload",
        "systemctl enable --now containerd",
        "systemctl restart containerd",
      ]),
    );
    const p = verified(events);
    expect(p["containerd-installed"]).toMatchObject({ status: "ok", observed: "containerd 1.6.20 (1.6.20~ds1) at /usr/local/bin/containerd" });
    expect(p["runc-installed"].status).toBe("ok");
    expect(p["runc-installed"].raw[0].output).toMatch(/^runc version 1\.1\.5/);
    expect(p["cni-plugins"].checks.map((c) => c.status)).toEqual(["ok", "ok", "ok", "ok"]);
    expect(p["containerd-active"].checks.slice(0, 2).map((c) => c.observed)).toEqual(["active", "enabled"]);
    expect(p["ctr-version"].raw[0].output).toMatch(/^Client:\n {2}Version: {2}1\.6\.20~ds1[\s\S]*\nServer:\n {2}Version: {2}1\.6\.20~ds1/);
    expect(p["containerd-systemd-cgroup"]).toMatchObject({ status: "ok", observed: "SystemdCgroup = true (containerd 1.x schema)" });
    expect(p["containerd-systemd-cgroup"].raw[0].output).toMatch(/^ {12}SystemdCgroup = true$/m);
    expect(p["cri-plugin"]).toMatchObject({ status: "ok", observed: "cri: ok" });
    expect(p["cri-plugin"].raw[0].output).toMatch(/^io\.containerd\.grpc\.v1\s+cri\s+linux\/amd64\s+ok\s*$/m);
    expect(p["kubelet-cgroup-driver"].status).toBe("ok");
    const cgroupPlan = plans(events)["cgroup-driver"];
    expect(cgroupPlan.actions[0]).toMatchObject({ kind: "write-file", path: "/etc/containerd/config.toml" });
    expect(cgroupPlan.actions[0].kind === "write-file" && cgroupPlan.actions[0].diff).toContain("+SystemdCgroup = true");
    // containerd really runs under systemd in its own cgroup.
    expect(await sh("cat /proc/$(systemctl show -p MainPID --value containerd)/cgroup")).toBe("0::/system.slice/containerd.service\n");
  }, 400_000);

  it("a second run of every step plans nothing and changes nothing", async () => {
    const stamp = () => sh("sudo -n stat -c '%n %Y %s' /usr/local/bin/containerd /usr/local/sbin/runc /opt/cni/bin/bridge /usr/local/lib/systemd/system/containerd.service /etc/containerd/config.toml");
    const pid = () => sh("systemctl show -p MainPID --value containerd");
    const [before, pidBefore] = [await stamp(), await pid()];
    const { run: r, events } = await run(ALL);
    expect(r.nodes[0]).toMatchObject({ status: "unchanged", message: "already done, nothing changed" });
    expect(Object.values(plans(events)).map((e) => e.actions.length)).toEqual(ALL.map(() => 0));
    expect(events.some((e) => e.type === "command-started")).toBe(false);
    expect(await stamp()).toBe(before);
    expect(await pid()).toBe(pidBefore);
  }, 300_000);

  it("health scans pin containerd by its running process: --version and config dump are reused while it runs on; after a restart they run again", async () => {
    const { observeHost } = await import("../../server/catalog");
    const ids = ["containerd-installed", "containerd-systemd-cgroup"];
    type Seen = Awaited<ReturnType<typeof observeHost>>;
    const asPrevious = (seen: Seen) =>
      new Map(seen.probes.flatMap((p) => p.raw).flatMap((r) => (r.inputs === undefined ? [] : [[r.command, { ...r, inputs: r.inputs, ranAt: "the first scan" }] as const])));
    const raw = (seen: Seen, command: string) => seen.probes.flatMap((p) => p.raw).find((r) => r.command === command)!;
    const PINNED = ["/usr/local/bin/containerd --version", "containerd config dump"];

    const first = await observeHost(mods.remoteHost(), ids);
    const pid = (await sh("systemctl show -p MainPID --value containerd")).trim();
    expect(raw(first, PINNED[0]).inputs).toContain(`<run by ${pid}@`);
    const second = await observeHost(mods.remoteHost(), ids, { previous: asPrevious(first) });
    for (const command of PINNED) expect(raw(second, command), command).toMatchObject({ ranAt: "the first scan", output: raw(first, command).output });
    expect(second.probes.map((p) => p.status)).toEqual(first.probes.map((p) => p.status));

    await sh("sudo -n systemctl restart containerd");
    const third = await observeHost(mods.remoteHost(), ids, { previous: asPrevious(first) });
    for (const command of PINNED) expect(raw(third, command).ranAt, command).toBeUndefined();
    expect(third.probes.map((p) => p.status)).toEqual(["ok", "ok"]);
  }, 120_000);

  it("Docker's config.toml (disabled_plugins = [\"cri\"]) is detected, shown as a diff, and fixed; the operator's other settings stay", async () => {
    const docker = '#   Copyright 2018-2022 Docker Inc.\n\ndisabled_plugins = ["cri"]\n\n#root = "/var/lib/containerd"\noom_score = -500\n';
    await sh(`printf '%s' '${docker.replace(/'/g, "'\\''")}' | sudo -n tee /etc/containerd/config.toml >/dev/null && sudo -n systemctl restart containerd`);
    const check = await run(["cgroup-driver"], "check");
    expect(check.run.nodes[0].status).toBe("pending-changes");
    const p = verified(check.events);
    expect(p["cri-plugin"]).toMatchObject({ status: "fail", observed: "not loaded" });
    expect(p["containerd-systemd-cgroup"].checks.find((c) => c.name === "CRI plugin enabled")).toMatchObject({ status: "fail", observed: 'disabled_plugins = ["cri"]' });
    const write = plans(check.events)["cgroup-driver"].actions[0];
    expect(write.kind).toBe("write-file");
    expect(write.reason).toContain('re-enable the CRI plugin: remove "cri" from disabled_plugins');
    expect(write.kind === "write-file" && write.diff).toContain('-disabled_plugins = ["cri"]');

    const fixed = await run(["cgroup-driver"]);
    expect(fixed.run.nodes[0].message).toBe("changed and verified");
    expect(verified(fixed.events)["cri-plugin"].status).toBe("ok");
    expect(verified(fixed.events)["containerd-systemd-cgroup"].status).toBe("ok");
    const config = await sh("cat /etc/containerd/config.toml");
    expect(config).toContain("oom_score = -500");
    expect(config).toContain("disabled_plugins = []");
    expect((await run(["cgroup-driver"])).run.nodes[0].message).toBe("already done, nothing changed");
  }, 300_000);

  it("the runtime really runs a container: busybox imported with ctr, run with runc and the systemd cgroup driver", async () => {
    const tar = path.join(dataDir, "busybox-oci.tar");
    buildBusyboxImage(tar);
    await mods.remoteHost().upload(tar, "/tmp/busybox-oci.tar");
    expect(await sh("sudo -n ctr images import /tmp/busybox-oci.tar", 120_000)).toContain(BUSYBOX_IMAGE_REF);
    const out = await sh(
      `sudo -n ctr run --rm --runc-binary /usr/local/sbin/runc --runc-systemd-cgroup --cgroup system.slice:nodeprep:it1 ${BUSYBOX_IMAGE_REF} it1 /bin/sh -c 'echo hello from busybox; cat /proc/self/cgroup'`,
      120_000,
    );
    expect(out).toBe("hello from busybox\n0::/system.slice/nodeprep-it1.scope\n");
  }, 300_000);
});
