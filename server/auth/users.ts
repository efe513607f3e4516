import "server-only";
import { randomUUID } from "node:crypto";
import type { Role, SessionUser, User } from "@/lib/contracts/auth";
import type { Db } from "../db";
import { conflict, AppError, notFound } from "../errors";
import { hashPassword } from "./password";

interface UserRow {
  id: string;
  name: string;
  role: Role;
  password_hash: string;
  disabled: number;
  created_at: string;
  updated_at: string;
  last_sign_in_at: string | null;
}

const toUser = (r: UserRow): User => ({
  id: r.id,
  name: r.name,
  role: r.role,
  disabled: r.disabled === 1,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  lastSignInAt: r.last_sign_in_at,
});

export const toSessionUser = (u: Pick<User, "id" | "name" | "role">): SessionUser => ({ id: u.id, name: u.name, role: u.role });

export function countUsers(db: Db): number {
  return db.prepare("SELECT count(*) FROM users").pluck().get() as number;
}

export function listUsers(db: Db): User[] {
  return (db.prepare("SELECT * FROM users ORDER BY name").all() as UserRow[]).map(toUser);
}

export function getUser(db: Db, id: string): User | null {
  const row = db.prepare("SELECT * FROM users WHERE id = ?").get(id) as UserRow | undefined;
  return row ? toUser(row) : null;
}

/** The user and their stored hash, for sign-in only. */
export function findUserForSignIn(db: Db, name: string): (User & { passwordHash: string }) | null {
  const row = db.prepare("SELECT * FROM users WHERE name = ?").get(name.toLowerCase()) as UserRow | undefined;
  return row ? { ...toUser(row), passwordHash: row.password_hash } : null;
}

export async function createUser(db: Db, input: { name: string; role: Role; password: string }): Promise<User> {
  const hash = await hashPassword(input.password);
  const now = new Date().toISOString();
  const id = randomUUID();
  try {
    db.prepare(
      "INSERT INTO users (id, name, role, password_hash, disabled, created_at, updated_at) VALUES (?, ?, ?, ?, 0, ?, ?)",
    ).run(id, input.name, input.role, hash, now, now);
  } catch (error) {
    if (error instanceof Error && /UNIQUE/.test(error.message)) throw conflict(`a user named ${input.name} already exists`);
    throw error;
  }
  return getUser(db, id)!;
}

function activeAdmins(db: Db): number {
  return db.prepare("SELECT count(*) FROM users WHERE role = 'admin' AND disabled = 0").pluck().get() as number;
}

/** Change a user; refuses to leave the dashboard without an active admin. Returns what changed. */
export async function updateUser(
  db: Db,
  id: string,
  change: { role?: Role; password?: string; disabled?: boolean },
): Promise<{ user: User; changed: string[] }> {
  const before = getUser(db, id);
  if (!before) throw notFound("user");
  const hash = change.password !== undefined ? await hashPassword(change.password) : undefined;
  const changed: string[] = [];
  const apply = db.transaction(() => {
    const now = new Date().toISOString();
    if (change.role !== undefined && change.role !== before.role) {
      db.prepare("UPDATE users SET role = ?, updated_at = ? WHERE id = ?").run(change.role, now, id);
      changed.push("role");
    }
    if (change.disabled !== undefined && change.disabled !== before.disabled) {
      db.prepare("UPDATE users SET disabled = ?, updated_at = ? WHERE id = ?").run(change.disabled ? 1 : 0, now, id);
      changed.push("disabled");
    }
    if (hash !== undefined) {
      db.prepare("UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?").run(hash, now, id);
      changed.push("password");
    }
    if (activeAdmins(db) === 0) throw new AppError("last_admin", "the dashboard needs at least one active admin");
    // A new password or a disabled account ends the user's sessions everywhere.
    if (change.disabled || hash !== undefined) db.prepare("DELETE FROM sessions WHERE user_id = ?").run(id);
  });
  apply();
  return { user: getUser(db, id)!, changed };
}

export function deleteUser(db: Db, id: string): User {
  const user = getUser(db, id);
  if (!user) throw notFound("user");
  db.transaction(() => {
    db.prepare("DELETE FROM users WHERE id = ?").run(id);
    if (activeAdmins(db) === 0) throw new AppError("last_admin", "the dashboard needs at least one active admin");
  })();
  return user;
}

export function markSignedIn(db: Db, id: string): void {
  db.prepare("UPDATE users SET last_sign_in_at = ? WHERE id = ?").run(new Date().toISOString(), id);
}
