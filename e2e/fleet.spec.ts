// Fleets in the browser: an Ansible inventory imported through the page (preview of what is
// added, changed and left alone; the import; the same file again changes nothing; a vaulted sudo
// password refused); its groups then select nodes in the health view (filtered, one section per group)
// and in the wizard (ticking a group ticks its nodes); the wizard exports the plan as an Ansible
// playbook. Everything this spec adds is removed at its end (other specs count the nodes).
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, wizardTest as test } from "./fixtures";

const [A_N] = (process.env.NODEPREP_E2E_NODES ?? "1,2").split(",").map(Number);
const A = `practice-${A_N}`;
const NEW = "fleet-e2e-web";

test.describe.configure({ mode: "serial" });

type Api = Awaited<ReturnType<Parameters<Parameters<typeof test>[2]>[0]["apiAs"]>>;
async function cleanup(api: Api) {
  const nodes = (await (await api.get("/api/nodes")).json()) as { nodes: { id: string; name: string }[] };
  for (const n of nodes.nodes.filter((x) => x.name === NEW)) await api.delete(`/api/nodes/${n.id}`);
  const groups = (await (await api.get("/api/groups")).json()) as { groups: { id: string; name: string }[] };
  for (const g of groups.groups.filter((x) => x.name === "web" || x.name === "prod")) await api.delete(`/api/groups/${g.id}`);
}

test.afterAll(async ({ apiAs }) => {
  await cleanup(await apiAs("admin"));
});

test("import an inventory: preview, import, and the same file again changes nothing", async ({ page, apiAs, keepScreenshot, allowConsoleErrors }) => {
  // The vaulted inventory at the end is refused on purpose: the browser logs that 400.
  allowConsoleErrors(/status of 400 \(Bad Request\)/);
  const api = await apiAs("admin");
  await cleanup(api);
  const nodes = (await (await api.get("/api/nodes")).json()) as { nodes: { name: string; port: number; username: string }[] };
  const a = nodes.nodes.find((n) => n.name === A)!;
  // The practice node as it is (unchanged but for its new group) and a new host in TEST-NET-1.
  const ini = `[all:vars]\nansible_user=ops\n\n[web]\n${A} ansible_host=127.0.0.1 ansible_port=${a.port} ansible_user=${a.username}\n${NEW} ansible_host=192.0.2.77\n\n[prod:children]\nweb\n`;
  const pick = (label: string | RegExp, name: string, content: string) => page.getByLabel(label).setInputFiles({ name, mimeType: "text/plain", buffer: Buffer.from(content) });

  await page.goto("/nodes");
  await page.getByRole("link", { name: "Import inventory" }).click();
  await expect(page.getByRole("heading", { name: "Import an Ansible inventory" })).toBeVisible();
  await pick("Inventory (INI or YAML)", "hosts.ini", ini);
  await page.getByRole("button", { name: "Preview" }).click();
  const summary = page.getByRole("status", { name: "Import summary" });
  await expect(summary).toContainText("1 to add, 1 to change, 0 unchanged");
  await expect(summary).toContainText("Groups: 2 to add, 0 to change");
  await expect(page.locator(`tr[data-host="${A}"]`)).toContainText("groups: +web");
  await expect(page.locator(`tr[data-host="${NEW}"]`)).toHaveAttribute("data-status", "added");
  await expect(page.locator(`tr[data-host="${NEW}"]`)).toContainText("the dashboard's own key");
  await keepScreenshot("fleet-import-preview");
  // Nothing is stored by a preview.
  expect(((await (await api.get("/api/nodes")).json()) as { nodes: { name: string }[] }).nodes.some((n) => n.name === NEW)).toBe(false);

  await page.getByRole("button", { name: "Import", exact: true }).click();
  await expect(page.getByRole("status", { name: "Import result" })).toContainText("1 added, 1 changed");

  await page.reload();
  await pick("Inventory (INI or YAML)", "hosts.ini", ini);
  await page.getByRole("button", { name: "Preview" }).click();
  await expect(summary).toContainText("0 to add, 0 to change, 2 unchanged");
  await expect(page.getByText("nothing to import")).toBeVisible();
  await expect(page.getByRole("button", { name: "Import", exact: true })).toBeDisabled();

  // A vaulted sudo password: refused whole, naming where it is.
  await pick("Inventory (INI or YAML)", "vaulted.yml", `all:\n  hosts:\n    other:\n      ansible_user: ops\n      ansible_become_password: !vault |\n        $ANSIBLE_VAULT;1.1;AES256\n        6162\n`);
  await page.getByRole("button", { name: "Preview" }).click();
  await expect(page.getByRole("form", { name: "Inventory files" }).getByRole("alert")).toContainText("ansible_become_password of host other is encrypted with Ansible Vault");

  // The export reads back with the new host and its group.
  const exported = await (await api.get("/api/inventory/export?format=ini")).text();
  expect(exported).toContain(`${NEW} ansible_host=192.0.2.77 ansible_port=22 ansible_user=ops`);
  expect(exported).toContain("[prod:children]\nweb");
});

test("groups select nodes in the health view and the wizard; the wizard exports an Ansible playbook", async ({ page, wizard, keepScreenshot }) => {
  await page.goto("/health?by=group");
  await expect(page.getByRole("heading", { name: "Health", level: 1 })).toBeVisible();
  const web = page.getByRole("rowgroup", { name: "group web" });
  await expect(web.locator(`tr[data-node="${A}"]`)).toBeVisible();
  await expect(web.locator(`tr[data-node="${NEW}"]`)).toBeVisible();
  await page.getByRole("combobox", { name: /^Group/ }).selectOption({ label: "prod (2)" });
  await expect(page.getByRole("status", { name: "Rows shown" })).toContainText("2 of");
  await expect(page.getByRole("button", { name: "Scan group prod" })).toBeVisible();
  await keepScreenshot("fleet-health-grouped");

  // The wizard: ticking group web selects both its nodes; Check on one of them through the group.
  await wizard.open("kernel-modules");
  await page.getByRole("group", { name: "Groups" }).getByRole("checkbox", { name: /group web/ }).check();
  await expect(page.getByRole("checkbox", { name: new RegExp(`^${A}\\b`) })).toBeChecked();
  await expect(page.getByRole("checkbox", { name: new RegExp(`^${A}\\b`) })).toBeDisabled();
  await expect.poll(() => new URL(page.url()).searchParams.get("groups")).toBeTruthy();

  // Export: the steps, versions and delivery chosen here, as a playbook + role.
  await page.getByText("Export as an Ansible playbook").click();
  const form = page.getByRole("form", { name: "Export as an Ansible playbook" });
  await expect(form).toContainText("The 2 selected nodes become its inventory");
  const [download] = await Promise.all([page.waitForEvent("download"), form.getByRole("button", { name: "Download playbook" }).click()]);
  expect(download.suggestedFilename()).toBe("nodeprep-ansible.tar.gz");
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "np-e2e-export-")), "export.tar.gz");
  await download.saveAs(file);
  const listing = execFileSync("tar", ["-tzf", file], { encoding: "utf8" });
  expect(listing).toContain("nodeprep-ansible/README.md");
  expect(listing).toContain("nodeprep-ansible/roles/nodeprep/tasks/containerd.yml");
  expect(listing).toMatch(/nodeprep-ansible\/roles\/nodeprep\/files\/containerd-[\d.]+-linux-amd64\.tar\.gz/);
  const inventory = execFileSync("tar", ["-xzOf", file, "nodeprep-ansible/inventory.ini"], { encoding: "utf8" });
  expect(inventory).toContain(`${A} ansible_host=127.0.0.1`);
  expect(inventory).toContain(`${NEW} ansible_host=192.0.2.77`);
  await expect(form.getByRole("status")).toContainText("Downloaded nodeprep-ansible.tar.gz");
  await keepScreenshot("fleet-wizard-export");
});
