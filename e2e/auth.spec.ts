// Sign-in and roles in a real browser: sign-in, a wrong password, what a viewer may not do, sign-out, and the
// audit log (filters, export, host/user text shown as text).
import fs from "node:fs";
import { e2eUser, expect, SIGNED_OUT, test } from "./fixtures";

test.describe("signed out", () => {
  // Signed out, the header's "who am I" (/api/auth/me) and a wrong password answer 401, which the
  // browser logs as an error: that is what these tests provoke.
  test.use({ storageState: SIGNED_OUT, allowedConsoleErrors: [/the server responded with a status of 401 \(Unauthorized\)/] });

  test("a page visit goes to sign-in, and signing in goes back to it", async ({ page, loginPage, userMenu, keepScreenshot }) => {
    await page.goto("/nodes");
    await expect(page).toHaveURL(/\/login\?next=%2Fnodes$/);
    await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
    expect((await page.request.get("/api/nodes")).status()).toBe(401);
    await keepScreenshot("sign-in");
    const admin = e2eUser("admin");
    await loginPage.signIn(admin.name, admin.password);
    await expect(page).toHaveURL(/\/nodes$/);
    await expect(page.getByRole("heading", { name: "Nodes" })).toBeVisible();
    await expect(userMenu.signedInUser()).toHaveText("e2e-admin (admin)");
  });

  test("a wrong password is refused, and says so without saying which part was wrong", async ({ page, loginPage, allowConsoleErrors }) => {
    allowConsoleErrors(/status of 401 \(Unauthorized\)/); // the refused sign-ins themselves
    await loginPage.open();
    await loginPage.signIn("e2e-operator", "not-the-password");
    await expect(loginPage.error()).toHaveText("wrong name or password");
    await loginPage.signIn("nobody-here", "not-the-password");
    await expect(loginPage.error()).toHaveText("wrong name or password");
    await expect(page).toHaveURL(/\/login$/);
    expect((await page.context().cookies()).filter((c) => c.name === "nodeprep_session")).toEqual([]);
  });

  test("sign-out ends the session on the server", async ({ page, loginPage, userMenu }) => {
    // A session of its own: signing out the shared admin session would sign out the other tests.
    const operator = e2eUser("operator");
    await loginPage.open();
    await loginPage.signIn(operator.name, operator.password);
    await expect(userMenu.signedInUser()).toHaveText("e2e-operator (operator)");
    const [session] = (await page.context().cookies()).filter((c) => c.name === "nodeprep_session");
    expect(session).toMatchObject({ httpOnly: true, sameSite: "Strict" });
    await userMenu.signOut();
    await page.goto("/nodes");
    await expect(page).toHaveURL(/\/login\?next=%2Fnodes$/);
    // The old cookie, replayed, is worth nothing.
    const replay = await page.request.get("/api/auth/me", { headers: { cookie: `nodeprep_session=${session.value}` } });
    expect(replay.status()).toBe(401);
  });
});

test("a viewer cannot apply or manage: the server refuses and the UI does not offer it", async ({ pageAs, apiAs }) => {
  const viewer = await pageAs("viewer");
  await viewer.goto("/nodes");
  await expect(viewer.getByTestId("signed-in-user")).toHaveText("e2e-viewer (viewer)");
  const nav = viewer.getByRole("navigation", { name: "Main" });
  await expect(nav.getByRole("link", { name: "Nodes" })).toBeVisible();
  await expect(nav.getByRole("link", { name: "Users" })).toHaveCount(0);
  await expect(nav.getByRole("link", { name: "Audit" })).toHaveCount(0);
  await viewer.goto("/users");
  await expect(viewer.getByRole("main").getByRole("alert")).toHaveText("Only admins manage users.");

  // Apply = POST /api/runs with mode "apply": refused to a viewer whatever the body.
  const api = await apiAs("viewer");
  const nodes = (await (await api.get("/api/nodes")).json()) as { nodes: { id: string }[] };
  const apply = await api.post("/api/runs", { data: { stepIds: ["kernel-modules"], nodeIds: [nodes.nodes[0]?.id ?? "none"], mode: "apply" } });
  expect(apply.status()).toBe(403);
  expect(await apply.json()).toMatchObject({ code: "forbidden" });
  expect((await api.post("/api/users", { data: { name: "sneaky", role: "admin", password: "long-enough-password" } })).status()).toBe(403);

  // In the wizard a viewer (a trainee) may Check but cannot press Apply.
  await viewer.goto(`/wizard/kernel-modules?nodes=${nodes.nodes[0].id}`);
  await expect(viewer.getByRole("button", { name: "Check", exact: true })).toBeEnabled();
  await expect(viewer.getByRole("button", { name: "Apply", exact: true })).toBeDisabled();
  await expect(viewer.getByRole("button", { name: "Apply all steps" })).toBeDisabled();
  await expect(viewer.getByText("You can Check; applying changes needs the operator role.")).toBeVisible();
});

test("a request from another site is refused even with a valid session", async ({ apiAs }) => {
  const api = await apiAs("admin");
  const res = await api.post("/api/users", {
    headers: { origin: "http://evil.example" },
    data: { name: "csrf-victim", role: "admin", password: "long-enough-password" },
  });
  expect(res.status()).toBe(403);
  expect(await res.json()).toMatchObject({ code: "cross_origin" });
});

test("the audit log shows sign-ins and failures as text, filters by user, and exports", async ({ page, apiAs, keepScreenshot }) => {
  // A failed sign-in whose "name" is markup: it must show up as those characters, never run.
  const anon = await apiAs("viewer");
  const hostile = "<img src=x onerror=alert(1)>";
  expect((await anon.post("/api/auth/login", { data: { name: hostile, password: "x" } })).status()).toBe(401);
  const dialogs: string[] = [];
  page.on("dialog", (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });

  await page.goto("/audit");
  await expect(page.getByRole("heading", { name: "Audit log" })).toBeVisible();
  const table = page.getByRole("table", { name: "Audit log" });
  await expect(table.getByRole("cell", { name: hostile.toLowerCase(), exact: true })).toBeVisible();
  await expect(table.locator("img")).toHaveCount(0);
  expect(dialogs, "text from the audit log ran as HTML").toEqual([]);

  await page.getByLabel("User").fill("e2e-viewer");
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(/user=e2e-viewer/);
  const rows = table.getByRole("row");
  await expect(rows.filter({ hasText: "sign-in" }).first()).toBeVisible();
  await expect(rows.filter({ hasText: "e2e-admin" })).toHaveCount(0);
  await keepScreenshot("audit");

  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Export JSON Lines" }).click()]);
  const lines = fs.readFileSync((await download.path())!, "utf8").trim().split("\n").map((l) => JSON.parse(l) as { actor: string; action: string });
  expect(lines.length).toBeGreaterThan(0);
  expect(lines.every((l) => l.actor === "e2e-viewer")).toBe(true);
  expect(lines.map((l) => l.action)).toContain("sign-in");

  const [csv] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Export CSV" }).click()]);
  expect(csv.suggestedFilename()).toMatch(/^nodeprep-audit-.*\.csv$/);
  expect(fs.readFileSync((await csv.path())!, "utf8").split("\r\n")[0]).toMatch(/^seq,at,actor,action,/);
});

test("the audit page shows 50 entries a page, older ones a click away, the page in the address", async ({ page, apiAs, keepScreenshot }) => {
  const admin = await apiAs("admin");
  const count = async () => ((await (await admin.get("/api/audit?limit=500")).json()) as { entries: unknown[] }).entries.length;
  // Enough entries for two pages: failed sign-ins, each under its own name (no throttling of one name).
  const anon = await apiAs("viewer");
  for (let i = (await count()); i <= 60; i++) expect((await anon.post("/api/auth/login", { data: { name: `e2e-nobody-${i}`, password: "x" } })).status()).toBe(401);
  await page.goto("/audit");
  const table = page.getByRole("table", { name: "Audit log" });
  const pages = page.getByRole("navigation", { name: "Audit pages" });
  // 50 entry rows and the header, never every row at once.
  await expect(table.getByRole("row")).toHaveCount(51);
  await expect(pages.getByRole("button", { name: "Newest entries" })).toHaveCount(0);
  await pages.getByRole("button", { name: "Older entries" }).click();
  await expect(page).toHaveURL(/[?&]before=\d+/);
  await expect(pages.getByRole("button", { name: "Newest entries" })).toBeVisible();
  await keepScreenshot("audit-older-page");
  await page.goBack();
  await expect(pages.getByRole("button", { name: "Newest entries" })).toHaveCount(0);
});
