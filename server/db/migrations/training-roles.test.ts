import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { migrate } from "../index";
import { migrations } from "./index";

describe("migration 0100-training-roles", () => {
  it("adds the trainee and trainer roles and keeps every user and session", () => {
    const db = new Database(":memory:");
    db.pragma("foreign_keys = ON");
    // A database as it was before: every migration up to 0100 applied.
    db.exec("CREATE TABLE schema_migrations (id TEXT PRIMARY KEY, applied_at TEXT NOT NULL)");
    for (const m of migrations.filter((m) => m.id < "0100")) {
      db.exec(m.sql);
      db.prepare("INSERT INTO schema_migrations (id, applied_at) VALUES (?, ?)").run(m.id, "then");
    }
    const now = new Date().toISOString();
    db.prepare("INSERT INTO users (id, name, role, password_hash, created_at, updated_at) VALUES ('u1', 'alice', 'admin', 'h', ?, ?)").run(now, now);
    db.prepare("INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ('t1', 'u1', ?, ?)").run(now, now);
    expect(() => db.prepare("INSERT INTO users (id, name, role, password_hash, created_at, updated_at) VALUES ('u2', 'bob', 'trainee', 'h', ?, ?)").run(now, now)).toThrow(/CHECK/);

    expect(migrate(db)).toContain("0100-training-roles");

    expect(db.prepare("SELECT name, role FROM users").all()).toEqual([{ name: "alice", role: "admin" }]);
    expect(db.prepare("SELECT token_hash, user_id FROM sessions").all()).toEqual([{ token_hash: "t1", user_id: "u1" }]);
    for (const role of ["trainee", "trainer"]) {
      db.prepare("INSERT INTO users (id, name, role, password_hash, created_at, updated_at) VALUES (?, ?, ?, 'h', ?, ?)").run(role, role, role, now, now);
    }
    expect(() => db.prepare("INSERT INTO users (id, name, role, password_hash, created_at, updated_at) VALUES ('u9', 'eve', 'root', 'h', ?, ?)").run(now, now)).toThrow(/CHECK/);
    // The sessions still belong to users: deleting a user ends them.
    db.prepare("DELETE FROM users WHERE id = 'u1'").run();
    expect(db.prepare("SELECT count(*) FROM sessions").pluck().get()).toBe(0);
    expect(db.pragma("foreign_key_check")).toEqual([]);
  });
});
