import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../db";

process.env.NODEPREP_SECRET_KEY ??= randomBytes(32).toString("base64");

let db: Db;
let mods: {
  service: typeof import("./service");
  repo: typeof import("./repository");
  targets: typeof import("./targets");
  sync: typeof import("../practice/sync");
};
const KEY = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n-----END OPENSSH PRIVATE KEY-----\n";
const ED = "AAAAC3NzaC1lZDI1NTE5AAAAIHZpsbg6W7kM8mwBoeqJnvA4XqZNS7XA7mjjPaQveQmK";

beforeAll(async () => {
  const { openDb } = await import("../db");
  db = openDb(":memory:");
  mods = { service: await import("./service"), repo: await import("./repository"), targets: await import("./targets"), sync: await import("../practice/sync") };
});

const input = (over: object = {}) => ({
  name: "web-1",
  address: "10.0.0.5",
  port: 22,
  username: "ops",
  auth: { method: "key" as const, privateKey: KEY, passphrase: "pass-phrase" },
  privilege: { kind: "sudo-password" as const, password: "sudo-secret" },
  ...over,
});

describe("nodes service", () => {
  it("stores secrets sealed, never in what the browser gets, and loads them back for SSH", () => {
    const node = mods.service.createNode(db, input(), "alice");
    expect(JSON.stringify(node)).not.toContain("sudo-secret");
    expect(JSON.stringify(node)).not.toContain("OPENSSH");
    expect(node.secrets).toEqual({ privateKey: true, passphrase: true, password: false, sudoPassword: true });
    const raw = JSON.stringify(db.prepare("SELECT * FROM node_secrets").all()) + JSON.stringify(db.prepare("SELECT * FROM nodes").all());
    expect(raw).not.toContain("sudo-secret");
    expect(raw).not.toContain("pass-phrase");
    const t = mods.targets.loadTarget(db, node.id);
    expect(t.auth).toEqual({ kind: "key", privateKey: KEY, passphrase: "pass-phrase" });
    expect(t.privilege).toEqual({ kind: "sudo-password", password: "sudo-secret" });
    expect(t.hostKey).toBeNull();
    const audit = db.prepare("SELECT action, actor, detail FROM audit_log").all() as { detail: string }[];
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit)).not.toContain("secret");
  });

  it("keeps stored secrets on edit when none are given, and drops the ones a new method does not use", () => {
    const node = mods.repo.getNodeByName(db, "web-1")!;
    const edited = mods.service.updateNode(db, node.id, input({ auth: { method: "key" }, privilege: { kind: "sudo-nopasswd" } }), "alice");
    expect(edited.secrets).toEqual({ privateKey: true, passphrase: true, password: false, sudoPassword: false });
    expect(() => mods.service.updateNode(db, node.id, input({ auth: { method: "password" } }), "alice")).toThrow(/enter the password/);
  });

  it("trusts only the key that was shown, and refuses a changed key until replaced", () => {
    const node = mods.repo.getNodeByName(db, "web-1")!;
    expect(() => mods.service.decideHostKey(db, node.id, { action: "trust", fingerprint: "SHA256:" + "A".repeat(43) }, "alice")).toThrow(/Test connection first/);
    mods.repo.recordOfferedKey(db, node.id, { type: "ssh-ed25519", keyBase64: ED });
    expect(mods.repo.getNode(db, node.id)!.hostKeyStatus).toBe("untrusted");
    expect(() => mods.service.decideHostKey(db, node.id, { action: "trust", fingerprint: "SHA256:" + "A".repeat(43) }, "alice")).toThrow(/now offers/);
    const fp = mods.repo.getNode(db, node.id)!.offeredHostKey!.fingerprint;
    expect(fp).toBe("SHA256:RNoLc/egiMxZ3r4qksOdqUwg0K8nDMdLBxP9/OSFBS4");
    const trusted = mods.service.decideHostKey(db, node.id, { action: "trust", fingerprint: fp }, "alice");
    expect(trusted.hostKeyStatus).toBe("trusted");
    expect(trusted.hostKey).toMatchObject({ fingerprint: fp, source: "operator", trustedBy: "alice" });
    expect(mods.targets.loadTarget(db, node.id).hostKey).toEqual({ type: "ssh-ed25519", keyBase64: ED });

    const other = "AAAAC3NzaC1lZDI1NTE5AAAAIAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    mods.repo.recordOfferedKey(db, node.id, { type: "ssh-ed25519", keyBase64: other });
    const changed = mods.repo.getNode(db, node.id)!;
    expect(changed.hostKeyStatus).toBe("changed");
    expect(() => mods.service.decideHostKey(db, node.id, { action: "trust", fingerprint: changed.offeredHostKey!.fingerprint }, "bob")).toThrow(/replace key/);
    const replaced = mods.service.decideHostKey(db, node.id, { action: "replace", fingerprint: changed.offeredHostKey!.fingerprint }, "bob");
    expect(replaced.hostKey?.fingerprint).toBe(changed.offeredHostKey!.fingerprint);
    const log = db.prepare("SELECT action, actor, detail FROM audit_log WHERE action LIKE 'host-key-%' ORDER BY seq").all() as { action: string; actor: string; detail: string }[];
    expect(log.map((l) => [l.action, l.actor])).toEqual([
      ["host-key-trusted", "alice"],
      ["host-key-replaced", "bob"],
    ]);
    expect(JSON.parse(log[1].detail)).toMatchObject({ previousFingerprint: fp });
  });

  it("forgets the trusted key when the address changes (another host), and removes secrets with the node", () => {
    const node = mods.repo.getNodeByName(db, "web-1")!;
    const moved = mods.service.updateNode(db, node.id, input({ address: "10.0.0.6", auth: { method: "key" }, privilege: { kind: "root" } }), "alice");
    expect(moved.hostKeyStatus).toBe("never-contacted");
    mods.service.removeNode(db, node.id, "alice");
    expect(db.prepare("SELECT COUNT(*) FROM node_secrets WHERE node_id = ?").pluck().get(node.id)).toBe(0);
    expect(() => mods.targets.loadTarget(db, node.id)).toThrow(/not found/);
  });

  it("reaches a node through a jump host of the inventory: one hop, never itself, and the target carries both", () => {
    const bastion = mods.service.createNode(db, input({ name: "bastion", address: "203.0.113.9" }), "alice");
    const inner = mods.service.createNode(db, input({ name: "inner-1", address: "10.1.0.7", jumpNodeId: bastion.id }), "alice");
    expect(inner).toMatchObject({ jumpNodeId: bastion.id, jumpNodeName: "bastion" });
    const target = mods.targets.loadTarget(db, inner.id);
    expect(target.jump).toMatchObject({ nodeId: bastion.id, address: "203.0.113.9", auth: { kind: "key", privateKey: KEY } });
    const refused = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return e as { details: { field: string }; message: string };
      }
      throw new Error("no error");
    };
    // No chains: the bastion is reached directly, and a node behind another cannot be a jump host.
    expect(refused(() => mods.service.updateNode(db, bastion.id, input({ name: "bastion", address: "203.0.113.9", auth: { method: "key" }, privilege: { kind: "root" }, jumpNodeId: inner.id }), "alice"))).toMatchObject({
      kind: "invalid_input",
      rule: { status: 400 },
      details: { field: "jumpNodeId" },
    });
    expect(refused(() => mods.service.createNode(db, input({ name: "inner-2", jumpNodeId: inner.id }), "alice")).message).toMatch(/itself reached through a jump host/);
    expect(refused(() => mods.service.updateNode(db, inner.id, input({ name: "inner-1", address: "10.1.0.7", auth: { method: "key" }, privilege: { kind: "root" }, jumpNodeId: inner.id }), "alice")).message).toMatch(/its own jump host/);
    expect(refused(() => mods.service.createNode(db, input({ name: "inner-3", jumpNodeId: "no-such-id" }), "alice")).details.field).toBe("jumpNodeId");
    expect(mods.repo.getNodeByName(db, "inner-3")).toBeNull();
    // Another jump host is another path: the trusted key is forgotten, as for a new address.
    mods.repo.pinHostKey(db, inner.id, { type: "ssh-ed25519", keyBase64: ED }, "operator", "alice");
    const direct = mods.service.updateNode(db, inner.id, input({ name: "inner-1", address: "10.1.0.7", auth: { method: "key" }, privilege: { kind: "root" }, jumpNodeId: null }), "alice");
    expect(direct).toMatchObject({ jumpNodeId: null, hostKeyStatus: "never-contacted" });
    // Removing the bastion leaves nodes behind it without a jump host.
    mods.service.updateNode(db, inner.id, input({ name: "inner-1", address: "10.1.0.7", auth: { method: "key" }, privilege: { kind: "root" }, jumpNodeId: bastion.id }), "alice");
    mods.service.removeNode(db, bastion.id, "alice");
    expect(mods.repo.getNode(db, inner.id)!.jumpNodeId).toBeNull();
  });

  it("refuses a duplicate name with 409 naming the field", () => {
    mods.service.createNode(db, input({ name: "dup" }), null);
    try {
      mods.service.createNode(db, input({ name: "dup" }), null);
      throw new Error("no error");
    } catch (e) {
      expect(e).toMatchObject({ kind: "conflict", rule: { status: 409 }, details: { field: "name" } });
    }
  });

  it("gives the dashboard one key pair, generated once", async () => {
    const { dashboardPublicKey, dashboardPrivateKey } = await import("./dashboard-key");
    const a = dashboardPublicKey(db);
    expect(a.publicKey).toMatch(/^ssh-ed25519 \S+ nodeprep-dashboard$/);
    expect(dashboardPublicKey(db)).toEqual(a);
    expect(dashboardPrivateKey(db)).toContain("OPENSSH PRIVATE KEY");
  });
});
