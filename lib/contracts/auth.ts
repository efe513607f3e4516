import { z } from "zod";
import { givenName, givenPassword, newPassword, userName, uuid } from "../validation";

/** The session cookie's name (the proxy and the server agree on it). */
export const SESSION_COOKIE = "nodeprep_session";

/**
 * Least to most. A trainee is below a viewer: a route open to viewers is closed to trainees unless it
 * says otherwise, and the routes that do open to trainees limit them to their own practice node
 * (server/auth/scope.ts). A trainer has an operator's rights plus practice nodes, trainees and their
 * progress.
 */
export const ROLES = ["trainee", "viewer", "operator", "trainer", "admin"] as const;
export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;

/** admin > trainer > operator > viewer > trainee: does `role` include the rights of `least`? */
export function hasRole(role: Role | null | undefined, least: Role): boolean {
  if (!role) return false;
  return ROLES.indexOf(role) >= ROLES.indexOf(least);
}

export const roleLabels: Record<Role, string> = {
  trainee: "trainee: only their practice node (wizard, health, scenarios)",
  viewer: "viewer: health, runs, wizard in check mode",
  operator: "operator: runs steps on hosts",
  trainer: "trainer: operator + practice nodes, trainees, progress",
  admin: "admin: users, nodes, host keys",
};

export const SessionUser = z.object({ id: z.string(), name: z.string(), role: Role });
export type SessionUser = z.infer<typeof SessionUser>;

export const Me = z.object({ user: SessionUser, expiresAt: z.string() });
export type Me = z.infer<typeof Me>;

export const LoginBody = z.object({ name: givenName, password: givenPassword }).strict();
export type LoginBody = z.infer<typeof LoginBody>;

export const SetupBody = z.object({
  token: z.string().min(16, "is not a setup token").max(128, "is not a setup token").regex(/^[A-Za-z0-9_-]+$/, "is not a setup token"),
  name: userName,
  password: newPassword,
}).strict();
export type SetupBody = z.infer<typeof SetupBody>;

export const User = z.object({
  id: z.string(),
  name: z.string(),
  role: Role,
  disabled: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
  lastSignInAt: z.string().nullable(),
});
export type User = z.infer<typeof User>;

export const UserList = z.object({ users: z.array(User) });

export const CreateUserBody = z.object({ name: userName, role: Role, password: newPassword }).strict();
export type CreateUserBody = z.infer<typeof CreateUserBody>;

export const UpdateUserBody = z
  .object({ role: Role.optional(), password: newPassword.optional(), disabled: z.boolean().optional() })
  .strict()
  .refine((b) => b.role !== undefined || b.password !== undefined || b.disabled !== undefined, "give role, password or disabled");
export type UpdateUserBody = z.infer<typeof UpdateUserBody>;

export const UserIdParams = z.object({ id: uuid });

/** Where to go after signing in: only a path on this site (never `//evil.example` or a full URL). */
export function safeNextPath(next: string | null | undefined): string {
  if (!next || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\") || /[\u0000-\u001f]/.test(next)) return "/";
  if (next.startsWith("/login") || next.startsWith("/setup")) return "/";
  return next;
}
