// `npm run user -- <command>`: manage dashboard users from a shell on the dashboard's machine (whoever
// can run this can read the database anyway). Uses NODEPREP_DATA_DIR like the server; safe while the
// server runs (SQLite WAL).
//
//   npm run user -- add <name> [--role admin|trainer|operator|viewer|trainee] [--password-stdin]
//   npm run user -- password <name> [--password-stdin]     set a new password (ends their sessions)
//   npm run user -- list
//   npm run user -- demo                                   (re)create admin "demo" with a fresh password
//
// Without --password-stdin a strong password is generated and printed once.
import os from "node:os";
import { Role } from "@/lib/contracts/auth";
import { newPassword, userName } from "@/lib/validation";
import { recordAudit } from "@/server/audit/record";
import { generatePassword } from "@/server/auth/password";
import { createUser, findUserForSignIn, listUsers, updateUser } from "@/server/auth/users";
import { config } from "@/server/config";
import { db } from "@/server/db";

const USAGE = `usage: npm run user -- add <name> [--role admin|trainer|operator|viewer|trainee] [--password-stdin]
       npm run user -- password <name> [--password-stdin]
       npm run user -- list
       npm run user -- demo`;

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8").replace(/\r?\n$/, "");
}

async function passwordFrom(args: string[]): Promise<{ password: string; generated: boolean }> {
  if (!args.includes("--password-stdin")) return { password: generatePassword(), generated: true };
  const parsed = newPassword.safeParse(await readStdin());
  if (!parsed.success) fail(`password: ${parsed.error.issues[0].message}`);
  return { password: parsed.data, generated: false };
}

function parseName(raw: string | undefined): string {
  const parsed = userName.safeParse(raw ?? "");
  if (!parsed.success) fail(`name: ${parsed.error.issues[0].message}\n${USAGE}`);
  return parsed.data;
}

const actor = `cli:${os.userInfo().username}`;

async function main() {
  const [command, ...args] = process.argv.slice(2);
  const database = db();
  switch (command) {
    case "add": {
      const name = parseName(args[0]);
      const roleAt = args.indexOf("--role");
      const role = Role.safeParse(roleAt >= 0 ? args[roleAt + 1] : "viewer");
      if (!role.success) fail(`role: must be admin, trainer, operator, viewer or trainee\n${USAGE}`);
      const { password, generated } = await passwordFrom(args);
      const user = await createUser(database, { name, role: role.data, password });
      recordAudit(database, { actor, action: "user-created", detail: { user: user.name, role: user.role, via: "cli" } });
      console.log(`created ${user.role} "${user.name}" in ${config().NODEPREP_DATA_DIR}`);
      if (generated) console.log(`password: ${password}`);
      return;
    }
    case "password": {
      const name = parseName(args[0]);
      const user = findUserForSignIn(database, name) ?? fail(`no user named ${name}`);
      const { password, generated } = await passwordFrom(args);
      await updateUser(database, user.id, { password });
      recordAudit(database, { actor, action: "user-changed", detail: { user: user.name, changed: ["password"], via: "cli" } });
      console.log(`new password set for "${user.name}" (their sessions ended)`);
      if (generated) console.log(`password: ${password}`);
      return;
    }
    case "list": {
      for (const u of listUsers(database)) {
        console.log(`${u.name.padEnd(24)} ${u.role.padEnd(9)} ${u.disabled ? "disabled" : "active  "} last sign-in ${u.lastSignInAt ?? "never"}`);
      }
      return;
    }
    case "demo": {
      // The practice demo's admin: a fresh password on every demo start, printed for the trainer.
      const password = generatePassword();
      const existing = findUserForSignIn(database, "demo");
      if (existing) {
        await updateUser(database, existing.id, { password, role: "admin", disabled: false });
        recordAudit(database, { actor, action: "user-changed", detail: { user: "demo", changed: ["password"], via: "demo" } });
      } else {
        await createUser(database, { name: "demo", role: "admin", password });
        recordAudit(database, { actor, action: "user-created", detail: { user: "demo", role: "admin", via: "demo" } });
      }
      console.log("demo admin:    demo");
      console.log(`password:      ${password}`);
      return;
    }
    default:
      fail(USAGE);
  }
}

main().catch((error: unknown) => fail(error instanceof Error ? error.message : String(error)));
