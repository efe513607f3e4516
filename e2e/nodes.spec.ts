import { expect, test } from "./fixtures";

test("the dashboard lists the running practice node, marked as practice", async ({ nodesPage, keepScreenshot }) => {
  await nodesPage.open();
  const row = nodesPage.row("practice-1");
  await expect(row).toBeVisible();
  await expect(row.getByText("practice", { exact: true })).toBeVisible();
  await expect(row).toContainText("127.0.0.1:");
  await expect(row).toContainText("prep");
  await keepScreenshot("nodes");
});

test("the home page says what nodeprep does and links to the wizard", async ({ page, keepScreenshot }) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1 })).toContainText("container runtime");
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Nodes" })).toBeVisible();
  await keepScreenshot("home");
});
