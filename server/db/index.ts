import "server-only";
import Database from "better-sqlite3";
import fs from "node:fs";
import path from "node:path";
import { config } from "../config";
import { migrations } from "./migrations";

export type Db = Database.Database;

/** Open (creating if needed) a database file and bring its schema up to date. */
export function openDb(file: string): Db {
  if (file !== ":memory:") restrictFiles(file);
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  db.pragma("foreign_keys = ON");
  db.pragma("busy_timeout = 5000");
  migrate(db);
  return db;
}

/**
 * The database holds encrypted secrets, sessions and the audit log: only the dashboard's user may read
 * it. Created 0600 before SQLite opens it, since SQLite gives its -wal and -shm files the database
 * file's mode; files from an older install (0644) are tightened, and so is their directory.
 */
function restrictFiles(file: string) {
  const dir = path.dirname(file);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.chmodSync(dir, 0o700);
  fs.closeSync(fs.openSync(file, "a", 0o600));
  for (const f of [file, `${file}-wal`, `${file}-shm`]) {
    try {
      fs.chmodSync(f, 0o600);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
  }
}

export function migrate(db: Db): string[] {
  db.exec("CREATE TABLE IF NOT EXISTS schema_migrations (id TEXT PRIMARY KEY, applied_at TEXT NOT NULL)");
  const applied = new Set(db.prepare("SELECT id FROM schema_migrations").pluck().all() as string[]);
  const ran: string[] = [];
  for (const m of migrations) {
    if (applied.has(m.id)) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.prepare("INSERT INTO schema_migrations (id, applied_at) VALUES (?, ?)").run(m.id, new Date().toISOString());
    })();
    ran.push(m.id);
  }
  return ran;
}

// One connection per server process; survives Next's dev-mode module reloads.
const globalForDb = globalThis as unknown as { nodeprepDb?: Db };

export function db(): Db {
  if (!globalForDb.nodeprepDb) {
    globalForDb.nodeprepDb = openDb(path.join(config().NODEPREP_DATA_DIR, "nodeprep.db"));
  }
  return globalForDb.nodeprepDb;
}
