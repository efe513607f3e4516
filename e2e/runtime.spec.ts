// The container runtime steps in a real browser on a fresh practice node, with the lab's
// Debian-built release registered as the local release (global-setup.ts): a corrupted containerd
// tarball is refused and /usr/local stays as it was; then each step from the wizard (plan, apply with
// live output, verification with the raw output) up to "containerd running, CRI ok, SystemdCgroup
// true (effective), runc and CNI present"; a second run of every step changes nothing; Docker's
// `disabled_plugins = ["cri"]` is detected with its diff and fixed. Screenshots of every step.
// Run with NODEPREP_E2E_NODES=61.
import fs from "node:fs";
import path from "node:path";
import { execOn, findImage, getNode, resetNode } from "../lab";
import { ARTIFACTS_DIR, expect, wizardTest as test } from "./fixtures";

const NODE_N = Number((process.env.NODEPREP_E2E_NODES ?? "1").split(",")[0]);
const NODE = `practice-${NODE_N}`;
const RUNTIME_STEPS = ["containerd", "runc", "cni-plugins", "containerd-service", "cgroup-driver", "kubelet-cgroup-driver"] as const;

test.describe.configure({ mode: "serial" });

// Start from a fresh node whatever an earlier spec did to it (the e2e run shares its practice nodes).
test.beforeAll(async () => {
  await resetNode(NODE_N);
});

async function sh(command: string) {
  const node = getNode(NODE_N);
  if (!node) throw new Error(`${NODE} is not running`);
  const r = await execOn(node, command, 60_000);
  if (r.code !== 0) throw new Error(`${command}: exit ${r.code}: ${r.stderr}`);
  return r.stdout;
}
const usrLocal = () => sh("sudo -n find /usr/local -printf '%p %s %m %T@\\n' | sort");

test("a corrupted containerd tarball is refused: the sums are named and /usr/local is unchanged", async ({ wizard, keepScreenshot }) => {
  const image = findImage();
  const dataDir = process.env.NODEPREP_E2E_DATA_DIR;
  if (!image || !dataDir) throw new Error("global-setup.ts starts the dashboard with the lab's local release");
  const { containerd } = image.releases;
  const corrupted = fs.readFileSync(path.join(image.artifactsDir, containerd.file));
  corrupted[Math.floor(corrupted.length / 2)] ^= 0xff;
  // The dashboard's cache is looked up before the local release directory.
  const cached = path.join(dataDir, "artifacts", containerd.sha256, containerd.file);
  fs.mkdirSync(path.dirname(cached), { recursive: true });
  fs.writeFileSync(cached, corrupted);
  const before = await usrLocal();
  try {
    await wizard.open("containerd");
    await wizard.selectNode(NODE);
    const status = await wizard.run("Apply");
    await expect(status).toHaveAttribute("data-state", "failed");
    await expect(status).toContainText(`sha256 mismatch for ${containerd.file}`);
    await expect(status).toContainText(`expected ${containerd.sha256}`);
    await expect(wizard.log(NODE)).toContainText(`uploaded from the dashboard's cache over SFTP to /var/tmp/${containerd.file}`);
    // The log says why the upload ended without an exit code.
    await expect(wizard.log(NODE)).toContainText(`sha256 mismatch for ${containerd.file}`);
    await keepScreenshot("runtime-containerd-corrupted-refused");
  } finally {
    fs.rmSync(path.dirname(cached), { recursive: true, force: true });
  }
  expect(await usrLocal()).toBe(before);
});

test("the containerd version is the operator's pick: a Check plans that release, the default is the local build", async ({ wizard, page, keepScreenshot }) => {
  await wizard.open("containerd");
  await wizard.selectNode(NODE);
  // The Run panel's picker (the Ansible export panel has its own, for the playbook it writes).
  const picker = page.getByRole("region", { name: "Run" }).getByLabel("containerd version");
  await expect(picker.getByRole("option").first()).toHaveText("1.6.20 (local) (default)");
  await picker.selectOption("2.1.6");
  await expect.poll(() => new URL(page.url()).searchParams.get("version")).toBe("2.1.6");
  const status = await wizard.run("Check");
  await expect(status).toContainText("changes to make");
  await expect(wizard.plan(NODE)).toContainText("Install containerd@2.1.6:amd64");
  await keepScreenshot("runtime-containerd-version-picked");
  await picker.selectOption("");
  await expect.poll(() => new URL(page.url()).searchParams.get("version")).toBeNull();
});

test("each runtime step from the browser: plan, live output, verification with the raw output", async ({ wizard, page, keepScreenshot }) => {
  test.setTimeout(600_000);
  // containerd: the plan names the local release and its sum; apply stages it and verifies.
  await wizard.open("containerd");
  await expect(page.getByRole("article", { name: "Explanation" })).toContainText("musl");
  await wizard.selectNode(NODE);
  let status = await wizard.run("Check");
  await expect(status).toContainText("changes to make");
  await expect(wizard.plan(NODE)).toContainText("Install containerd@1.6.20~local-debian12:amd64");
  // Real commands in the seed's words: the upload named, then the same checks and extraction as commands.
  await expect(wizard.plan(NODE)).toContainText("# containerd-1.6.20-linux-amd64.tar.gz (containerd 1.6.20): uploaded from the dashboard's cache over SFTP to /var/tmp/containerd-1.6.20-linux-amd64.tar.gz");
  await expect(wizard.plan(NODE)).toContainText(/echo '[0-9a-f]{64} {2}\/var\/tmp\/containerd-1\.6\.20-linux-amd64\.tar\.gz' \| sha256sum -c/);
  await expect(wizard.plan(NODE)).toContainText("sudo tar Cxzvf /usr/local /var/tmp/containerd-1.6.20-linux-amd64.tar.gz");
  await expect(wizard.plan(NODE)).not.toContainText("download, check");
  await keepScreenshot("runtime-containerd-plan");
  status = await wizard.run("Apply", {
    whileRunning: async () => {
      await expect(wizard.log(NODE)).toContainText("uploading containerd-1.6.20-linux-amd64.tar.gz");
    },
  });
  await expect(status).toHaveAttribute("data-state", "succeeded");
  await expect(wizard.rawOutput(NODE, "containerd binary")).toContainText("/usr/local/bin/containerd --version");
  await expect(wizard.rawOutput(NODE, "containerd binary")).toContainText("containerd github.com/containerd/containerd 1.6.20~ds1");
  // The log shows the plan's install command as it ran, with tar's own listing.
  await expect(wizard.log(NODE)).toContainText(/tar Cxzvf \/usr\/local \/var\/tmp\/nodeprep-artifact\.\w+\/containerd-1\.6\.20-linux-amd64\.tar\.gz/);
  await expect(wizard.log(NODE)).toContainText("bin/containerd-shim-runc-v2");
  // The package lookup is nodeprep's helper: folded under "how nodeprep checked", never first.
  const containerdCard = wizard.card(NODE, "containerd binary", "ok");
  await expect(wizard.rawOutput(NODE, "containerd binary")).not.toContainText("p=; for c in");
  await expect(containerdCard.getByText("How nodeprep checked")).toBeVisible();
  await expect(containerdCard.getByLabel("How nodeprep checked containerd binary")).toBeHidden();
  await keepScreenshot("runtime-containerd-applied");

  await wizard.open("runc");
  await wizard.selectNode(NODE);
  status = await wizard.run("Apply");
  await expect(status).toHaveAttribute("data-state", "succeeded");
  await expect(wizard.plan(NODE)).toContainText("install as /usr/local/sbin/runc (mode 755)");
  await expect(wizard.plan(NODE)).toContainText("sudo install -m 755 /var/tmp/runc.amd64 /usr/local/sbin/runc");
  await expect(wizard.rawOutput(NODE, "runc binary")).toContainText("runc version 1.1.5+ds1");
  await keepScreenshot("runtime-runc-applied");

  await wizard.open("cni-plugins");
  await wizard.selectNode(NODE);
  status = await wizard.run("Apply");
  await expect(status).toHaveAttribute("data-state", "succeeded");
  await expect(wizard.plan(NODE)).toContainText("sudo mkdir -p /opt/cni/bin\nsudo tar Cxzvf /opt/cni/bin /var/tmp/cni-plugins-linux-amd64-v1.1.1.tgz");
  for (const plugin of ["bridge", "host-local", "loopback", "portmap"]) await expect(wizard.rawOutput(NODE, "CNI plugins")).toContainText(plugin);
  await keepScreenshot("runtime-cni-plugins-applied");

  await wizard.open("containerd-service");
  await wizard.selectNode(NODE);
  status = await wizard.run("Apply", {
    whileRunning: async () => {
      await expect(wizard.log(NODE)).toContainText("$ systemctl enable --now containerd");
    },
  });
  await expect(status).toHaveAttribute("data-state", "succeeded");
  // The release's unit is a file like any other: its content as a diff, written the way every file is.
  await expect(wizard.plan(NODE)).toContainText("Create /usr/local/lib/systemd/system/containerd.service (mode 644)");
  await expect(wizard.plan(NODE).getByLabel("File diff")).toContainText("+ExecStart=/usr/local/bin/containerd");
  await expect(wizard.plan(NODE)).toContainText("sudo tee /usr/local/lib/systemd/system/.containerd.service.nodeprep > /dev/null <<'EOF'");
  await expect(wizard.plan(NODE)).toContainText("Run systemctl daemon-reload");
  await expect(wizard.rawOutput(NODE, "containerd service")).toContainText("active");
  const ctr = wizard.rawOutput(NODE, "containerd answers (ctr version)");
  await expect(ctr).toContainText("Client:");
  await expect(ctr).toContainText("Server:");
  await keepScreenshot("runtime-containerd-service-applied");

  await wizard.open("cgroup-driver");
  await wizard.selectNode(NODE);
  status = await wizard.run("Check");
  const diff = wizard.plan(NODE).getByLabel("File diff");
  await expect(diff).toContainText("+SystemdCgroup = true");
  await expect(wizard.plan(NODE)).toContainText("Create /etc/containerd/config.toml");
  await expect(wizard.plan(NODE)).toContainText("This host runs cgroup v2 (cgroup2fs)");
  await keepScreenshot("runtime-cgroup-driver-plan");
  status = await wizard.run("Apply", {
    whileRunning: async () => {
      await expect(wizard.log(NODE)).toContainText("$ systemctl restart containerd");
    },
  });
  await expect(status).toHaveAttribute("data-state", "succeeded");
  await expect(wizard.rawOutput(NODE, "containerd cgroup driver (effective)")).toContainText("SystemdCgroup = true");
  await expect(wizard.verification(NODE).getByRole("listitem", { name: "CRI plugin loaded: ok" })).toBeVisible();
  await expect(wizard.rawOutput(NODE, "CRI plugin loaded")).toContainText(/io\.containerd\.grpc\.v1\s+cri\s+linux\/amd64\s+ok/);
  // The long outputs are focused: the deciding lines with their TOML table, confusing ones explained,
  // the whole output one click away; the person's command first (`ctr plugins ls`, not the socket check).
  const dump = wizard.rawOutput(NODE, "containerd cgroup driver (effective)");
  await expect(dump).toContainText('# in [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]');
  await expect(dump).toContainText("A deprecated field of the CRI plugin");
  const cgroupCard = wizard.card(NODE, "containerd cgroup driver (effective)", "ok");
  await expect(cgroupCard.getByText(/^Whole output of containerd config dump \(\d+ lines\)$/)).toBeVisible();
  await expect(cgroupCard.getByLabel("How nodeprep checked containerd cgroup driver (effective)")).toBeHidden();
  await expect(dump).not.toContainText("ActiveEnterTimestamp");
  const plugins = wizard.rawOutput(NODE, "CRI plugin loaded");
  await expect(plugins).toContainText("$ ctr plugins ls");
  await expect(plugins).toContainText("Normal when the devmapper snapshotter is not configured");
  await cgroupCard.getByText(/^Whole output of containerd config dump/).click();
  await expect(cgroupCard.getByLabel("Whole output of containerd config dump for containerd cgroup driver (effective)")).toContainText("[plugins.\"io.containerd.gc.v1.scheduler\"]");
  await cgroupCard.scrollIntoViewIfNeeded();
  await cgroupCard.screenshot({ path: path.join(ARTIFACTS_DIR, "verification-card-config-dump.png") });
  await keepScreenshot("runtime-cgroup-driver-applied");
  // The README's picture: this step's verification, as a newcomer sees it after Apply.
  await wizard.verification(NODE).screenshot({ path: path.join(ARTIFACTS_DIR, "readme-verification.png") });

  await wizard.open("kubelet-cgroup-driver");
  await wizard.selectNode(NODE);
  status = await wizard.run("Apply");
  await expect(status).toHaveAttribute("data-state", "succeeded");
  await expect(wizard.plan(NODE)).toContainText("kubeadm 1.22 and later sets cgroupDriver: systemd");
  await expect(wizard.verification(NODE).getByRole("listitem", { name: "kubelet and containerd agree on the cgroup driver: ok" })).toBeVisible();
  await keepScreenshot("runtime-kubelet-cgroup-driver");

  for (const step of RUNTIME_STEPS) await expect(wizard.stepLink(stepTitle(step))).toContainText(`${NODE}: done`);
  expect(await sh("systemctl is-active containerd")).toBe("active\n");
});

test("a second run of every runtime step changes nothing", async ({ wizard, keepScreenshot }) => {
  test.setTimeout(300_000);
  const stamp = () => sh("sudo -n stat -c '%n %Y' /usr/local/bin/containerd /usr/local/sbin/runc /opt/cni/bin/bridge /etc/containerd/config.toml; systemctl show -p MainPID --value containerd");
  const before = await stamp();
  for (const step of RUNTIME_STEPS) {
    await wizard.open(step);
    await wizard.selectNode(NODE);
    const status = await wizard.run("Apply");
    await expect(status).toContainText("already done, nothing changed");
    await expect(wizard.plan(NODE)).toContainText("Already done: nothing to change.");
  }
  await keepScreenshot("runtime-second-run-nothing-changed");
  expect(await stamp()).toBe(before);
});

test("Docker's config.toml with disabled_plugins = [\"cri\"] is detected, shown as a diff, and fixed", async ({ wizard, keepScreenshot }) => {
  await sh(`printf '%s\\n' '# Copyright 2018-2022 Docker Inc.' '' 'disabled_plugins = ["cri"]' 'oom_score = -500' | sudo -n tee /etc/containerd/config.toml >/dev/null && sudo -n systemctl restart containerd`);
  await wizard.open("cgroup-driver");
  await wizard.selectNode(NODE);
  let status = await wizard.run("Check");
  await expect(status).toContainText("changes to make");
  await expect(wizard.verification(NODE).getByRole("listitem", { name: "CRI plugin loaded: fail" })).toBeVisible();
  await expect(wizard.plan(NODE)).toContainText('re-enable the CRI plugin: remove "cri" from disabled_plugins');
  await expect(wizard.plan(NODE).getByLabel("File diff")).toContainText('-disabled_plugins = ["cri"]');
  await keepScreenshot("runtime-cri-disabled-detected");
  status = await wizard.run("Apply");
  await expect(status).toHaveAttribute("data-state", "succeeded");
  await expect(wizard.verification(NODE).getByRole("listitem", { name: "CRI plugin loaded: ok" })).toBeVisible();
  await keepScreenshot("runtime-cri-disabled-fixed");
  expect(await sh("cat /etc/containerd/config.toml")).toContain("oom_score = -500");
});

/** The step list's link names start with the step's number ("3. containerd ..."): match that, so "containerd" is not "containerd service". */
function stepTitle(id: (typeof RUNTIME_STEPS)[number]): string {
  return {
    containerd: "^3\\. containerd\\b(?! service)",
    runc: "^4\\. runc",
    "cni-plugins": "^5\\. CNI plugins",
    "containerd-service": "^6\\. containerd service",
    "cgroup-driver": "^7\\. cgroup driver",
    "kubelet-cgroup-driver": "^8\\. kubelet cgroup driver",
  }[id];
}
