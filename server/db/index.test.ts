import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openDb } from "./index";

const mode = (p: string) => (fs.statSync(p).mode & 0o777).toString(8);
let dir: string;
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("the database files", () => {
  it("are readable by the dashboard's user only: database, WAL and SHM 0600, folder 0700", () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "nodeprep-db-mode-"));
    const file = path.join(dir, "data", "nodeprep.db");
    const db = openDb(file);
    db.prepare("INSERT INTO schema_migrations (id, applied_at) VALUES ('probe', 'now')").run(); // writes the WAL
    expect(fs.existsSync(`${file}-wal`) && fs.existsSync(`${file}-shm`)).toBe(true);
    expect([mode(path.dirname(file)), mode(file), mode(`${file}-wal`), mode(`${file}-shm`)]).toEqual(["700", "600", "600", "600"]);
    db.close();
  });

  it("tightens the files of an older install that left them world-readable", () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "nodeprep-db-mode-"));
    const file = path.join(dir, "nodeprep.db");
    openDb(file).close();
    fs.chmodSync(dir, 0o755);
    fs.chmodSync(file, 0o644);
    const db = openDb(file);
    expect([mode(dir), mode(file)]).toEqual(["700", "600"]);
    db.close();
  });
});
