import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { findCycles } from "./import-cycles";

const roots: string[] = [];
afterAll(() => roots.forEach((r) => fs.rmSync(r, { recursive: true })));

function tree(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "np-cycles-"));
  roots.push(root);
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    fs.writeFileSync(path.join(root, name), text);
  }
  return root;
}

describe("the import-cycle check", () => {
  it("finds a module cycle through relative, @/ and index imports, re-exports and dynamic import(), with the way round", () => {
    const root = tree({
      "lib/a.ts": 'import { b } from "./b";\nexport const a = 1;',
      "lib/b.ts": 'export { c as b } from "@/lib/c";',
      "lib/c/index.ts": 'export const c = () => import("../a");',
      "lib/d.ts": 'import { a } from "./a";',
    });
    expect(findCycles(root)).toEqual({ modules: [["lib/a.ts", "lib/b.ts", "lib/c/index.ts", "lib/a.ts"]], areas: [] });
  });

  it("leaves type-only imports and packages out", () => {
    const root = tree({
      "lib/a.ts": 'import type { B } from "./b";\nimport { type C } from "./c";\nimport fs from "node:fs";\nexport type A = B & C;',
      "lib/b.ts": 'import type { A } from "./a";\nexport type B = { a?: A };',
      "lib/c.ts": 'export type { A } from "./a";\nexport type C = 1;',
    });
    expect(findCycles(root)).toEqual({ modules: [], areas: [] });
  });

  it("finds server areas that depend on each other even without a module cycle, tests left out", () => {
    const root = tree({
      "server/runs/engine.ts": 'import { q } from "../nodes/query";',
      "server/nodes/query.ts": "export const q = 1;",
      "server/nodes/service.ts": 'import { e } from "../runs/engine";',
      "server/audit/record.ts": "export const r = 1;",
      "server/audit/record.test.ts": 'import { e } from "../runs/engine";',
      "server/runs/log.ts": 'import { r } from "../audit/record";',
    });
    expect(findCycles(root)).toEqual({ modules: [], areas: [["server/nodes", "server/runs", "server/nodes"]] });
  });
});
