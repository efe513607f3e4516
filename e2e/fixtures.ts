import { test as base, expect, type Page } from "@playwright/test";
import fs from "node:fs";
import path from "node:path";

/** Screenshots kept as CI artifacts (design.md convention 9). */
export const ARTIFACTS_DIR = path.resolve("artifacts", "screenshots");

export class NodesPage {
  constructor(readonly page: Page) {}
  async open() {
    await this.page.goto("/nodes");
    await expect(this.page.getByRole("heading", { name: "Nodes" })).toBeVisible();
  }
  row(name: string) {
    return this.page.getByRole("row").filter({ hasText: name });
  }
}

export const test = base.extend<{ nodesPage: NodesPage; keepScreenshot: (name: string) => Promise<void> }>({
  nodesPage: async ({ page }, use) => use(new NodesPage(page)),
  keepScreenshot: async ({ page }, use) => {
    fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });
    await use(async (name) => {
      await page.screenshot({ path: path.join(ARTIFACTS_DIR, `${name}.png`), fullPage: true });
    });
  },
});

export { expect };
