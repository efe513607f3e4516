// Managing nodes in the browser: an admin adds a real host (a practice node, reached as the `ops` user with
// a password and sudo-with-password), sees its host key on first contact exactly as `ssh-keygen -lf`
// prints it, trusts it, and gets the host's facts. Bad input is refused inline and stores nothing.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { listNodes } from "../lab/state";
import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";

function keygenLines(publicKeys: string[]): string[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "keys-"));
  return publicKeys.map((key, i) => {
    const file = path.join(dir, `k${i}.pub`);
    fs.writeFileSync(file, `${key}\n`);
    return execFileSync("ssh-keygen", ["-lf", file], { encoding: "utf8" }).trim();
  });
}

/** Fill the Add node form for the practice image's `ops` user (password login, sudo with a password) and submit. */
async function addOpsNode(page: Page, n: { name: string; address: string; port: number; jump?: string }) {
  const ops = listNodes()[0].sudoPasswordUser;
  const form = page.getByRole("form", { name: "Add node" });
  await form.getByLabel("Name").fill(n.name);
  await form.getByLabel("User").fill(ops.username);
  await form.getByLabel("Address").fill(n.address);
  await form.getByLabel("SSH port").fill(String(n.port));
  if (n.jump) await form.getByLabel("Jump host").selectOption({ label: n.jump });
  await form.getByRole("group", { name: "Authentication" }).getByRole("radio", { name: "Password", exact: true }).check();
  await form.getByRole("textbox", { name: "Password", exact: true }).fill(ops.password);
  await form.getByRole("radio", { name: "sudo with a password" }).check();
  await form.getByLabel("sudo password").fill(ops.password);
  await form.getByRole("button", { name: "Add node" }).click();
}

test("an admin adds a host, trusts its key on first contact and sees its facts", async ({ page, keepScreenshot }) => {
  const practice = listNodes()[0];
  expect(practice, "the e2e setup starts at least one practice node").toBeTruthy();
  // The practice node's own keys, made by the lab when it started the node.
  const expectedKeys = keygenLines(practice.hostKeys);

  await page.goto("/nodes/new");
  await expect(page.getByRole("heading", { name: "Add a node" })).toBeVisible();
  await addOpsNode(page, { name: "ops-on-practice", address: practice.host, port: practice.port });

  await expect(page.getByRole("heading", { level: 1, name: "ops-on-practice" })).toBeVisible();
  await page.getByRole("button", { name: "Test connection" }).click();
  const firstContact = page.getByRole("status").filter({ hasText: "First contact" });
  await expect(firstContact).toBeVisible();
  const offered = (await firstContact.getByLabel("Offered host key").textContent())?.trim() ?? "";
  // The same text as `ssh-keygen -lf` on the image's host key, computed here independently. The
  // comment differs (a key received over the wire has none: ssh-keygen says "no comment").
  const withoutComment = (line: string) => line.replace(/^(\d+ SHA256:\S+) .* (\([A-Z0-9-]+\))$/, "$1 $2");
  expect(offered).toMatch(/^\d+ SHA256:[A-Za-z0-9+/]{43} no comment \([A-Z0-9-]+\)$/);
  expect(expectedKeys.map(withoutComment)).toContain(withoutComment(offered));
  await keepScreenshot("node-first-contact");

  await firstContact.getByRole("button", { name: "Trust this key" }).click();
  await expect(page.getByText(`Trusted key: ${offered}`)).toBeVisible();
  await page.getByRole("button", { name: "Test connection" }).click();
  // sudo with the password on stdin worked: commands as root run as root.
  await expect(page.getByText(/Connected as ops, commands as root run as root/)).toBeVisible();
  const facts = page.getByRole("region", { name: "Host facts" });
  await expect(facts).toContainText("Debian GNU/Linux 12 (bookworm)");
  await expect(facts).toContainText(/x86_64 → amd64/);
  await expect(facts).toContainText("systemd");
  // The host's shape, at the top of the page: what decides which build it takes and how.
  await expect(page.getByLabel("Host shape")).toContainText("Debian GNU/Linux 12 (bookworm)");
  await expect(page.getByLabel("Host shape")).toContainText("glibc 2.36");
  await expect(page.getByLabel("Host shape")).toContainText("cgroup v2");
  await keepScreenshot("node-facts");
});

test("a host name with shell syntax is refused inline and nothing is stored", async ({ page, apiAs }) => {
  const api = await apiAs("admin");
  const before = (await (await api.get("/api/nodes")).json()).nodes.length;
  await page.goto("/nodes/new");
  const form = page.getByRole("form", { name: "Add node" });
  await form.getByLabel("Name").fill("evil");
  await form.getByLabel("User").fill("ops");
  await form.getByLabel("Address").fill("$(reboot)");
  await form.getByRole("group", { name: "Authentication" }).getByRole("radio", { name: "Password", exact: true }).check();
  await form.getByRole("textbox", { name: "Password", exact: true }).fill("x");
  await form.getByRole("radio", { name: "sudo without a password" }).check();
  await form.getByRole("button", { name: "Add node" }).click();
  const address = form.getByLabel("Address");
  await expect(address).toHaveAttribute("aria-invalid", "true");
  // The error is tied to the field (aria-describedby), so a screen reader hears it with the field.
  await expect(address).toHaveAccessibleDescription(/host ?name|address|IPv/i);
  expect((await (await api.get("/api/nodes")).json()).nodes.length).toBe(before);
});

test("a host behind a jump host: added through the form, its own key trusted, facts gathered through the bastion", async ({ page, keepScreenshot }) => {
  const practice = listNodes()[0];
  // The practice node is the bastion and, seen from itself, 127.0.0.1:22 is the host behind it.
  await page.goto("/nodes/new");
  await addOpsNode(page, { name: "behind-bastion", address: "127.0.0.1", port: 22, jump: `${practice.name} (${practice.user}@${practice.host}:${practice.port})` });

  await expect(page.getByRole("heading", { level: 1, name: "behind-bastion" })).toBeVisible();
  await expect(page.getByText(`through jump host ${practice.name}`)).toBeVisible();
  await page.getByRole("button", { name: "Test connection" }).click();
  const firstContact = page.getByRole("status").filter({ hasText: "First contact" });
  await expect(firstContact).toBeVisible();
  await firstContact.getByRole("button", { name: "Trust this key" }).click();
  await page.getByRole("button", { name: "Test connection" }).click();
  await expect(page.getByText(/Connected as ops, commands as root run as root/)).toBeVisible();
  await expect(page.getByRole("region", { name: "Host facts" })).toContainText("Debian GNU/Linux 12 (bookworm)");
  await keepScreenshot("node-behind-jump-host");
  await page.goto("/nodes");
  const row = page.getByRole("row").filter({ has: page.getByRole("link", { name: "behind-bastion", exact: true }) });
  await expect(row).toContainText(`via ${practice.name}`);
});
