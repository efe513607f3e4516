import "server-only";
import Database from "better-sqlite3";
import fs from "node:fs";
import path from "node:path";
import { config } from "../config";
import { migrations } from "./migrations";

export type Db = Database.Database;

/** Open (creating if needed) a database file and bring its schema up to date. */
export function openDb(file: string): Db {
  if (file !== ":memory:") fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  db.pragma("foreign_keys = ON");
  db.pragma("busy_timeout = 5000");
  migrate(db);
  return db;
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
