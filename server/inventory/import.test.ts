import { createHmac, randomBytes } from "node:crypto";
import { beforeEach, describe, expect, it } from "vitest";
import type { Db } from "../db";

process.env.NODEPREP_SECRET_KEY ??= randomBytes(32).toString("base64");

const KEY = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n-----END OPENSSH PRIVATE KEY-----\n";
const ED = "AAAAC3NzaC1lZDI1NTE5AAAAIHZpsbg6W7kM8mwBoeqJnvA4XqZNS7XA7mjjPaQveQmK";

const INI = `# the fleet
[all:vars]
ansible_user=ops

[bastions]
bastion ansible_host=192.0.2.10 ansible_ssh_private_key_file=~/.ssh/fleet.pem

[web]
web-[1:2] ansible_host=10.0.0.1 ansible_ssh_common_args='-o ProxyJump=ops@192.0.2.10:22'

[db]
db-1 ansible_host=10.0.0.9 ansible_port=2200 ansible_become_password=sudo-pw

[prod:children]
web
db
`;

let db: Db;
let mods: {
  imp: typeof import("./import");
  exp: typeof import("./export");
  nodes: typeof import("../nodes/repository");
  groups: typeof import("../groups/repository");
};

beforeEach(async () => {
  const { openDb } = await import("../db");
  db = openDb(":memory:");
  mods = { imp: await import("./import"), exp: await import("./export"), nodes: await import("../nodes/repository"), groups: await import("../groups/repository") };
});

const body = (content = INI, extra: object = {}) => ({ inventory: { name: "hosts.ini", content }, keyFiles: [{ name: "fleet.pem", content: KEY }], ...extra });
const importAll = (b: ReturnType<typeof body>) => mods.imp.applyImport(db, { ...b, fingerprint: mods.imp.previewImport(db, b).fingerprint }, "alice");
const auditCount = () => db.prepare("SELECT COUNT(*) FROM audit_log").pluck().get() as number;

describe("inventory import", () => {
  it("previews without storing, imports exactly the preview, and a second import changes nothing", () => {
    const preview = mods.imp.previewImport(db, body());
    expect(preview.ready).toBe(true);
    expect(preview.summary).toMatchObject({ added: 4, changed: 0, unchanged: 0, groupsAdded: 4 });
    expect(mods.nodes.listNodes(db)).toEqual([]);
    expect(auditCount()).toBe(0);
    const db1 = preview.hosts.find((h) => h.name === "db-1")!;
    expect(db1).toMatchObject({ address: "10.0.0.9", port: 2200, username: "ops", authMethod: "dashboard-key", privilege: "sudo-password", groups: ["db"] });
    expect(preview.hosts.find((h) => h.name === "web-2")).toMatchObject({ jumpHost: "bastion", authMethod: "dashboard-key" });
    expect(preview.hosts.find((h) => h.name === "bastion")).toMatchObject({ authMethod: "key", privilege: "sudo-nopasswd" });

    const result = mods.imp.applyImport(db, { ...body(), fingerprint: preview.fingerprint }, "alice");
    expect(result).toMatchObject({ created: 4, updated: 0 });
    const nodes = new Map(mods.nodes.listNodes(db).map((n) => [n.name, n]));
    expect(nodes.get("web-1")).toMatchObject({ jumpNodeName: "bastion", address: "10.0.0.1" });
    expect(mods.nodes.getSecret(db, nodes.get("db-1")!.id, "sudo-password")).toBe("sudo-pw");
    expect(mods.nodes.getSecret(db, nodes.get("bastion")!.id, "private-key")).toBe(KEY);
    const groups = new Map(mods.groups.listGroups(db).map((g) => [g.name, g]));
    expect(groups.get("prod")!.allNodeIds.sort()).toEqual([nodes.get("web-1")!.id, nodes.get("web-2")!.id, nodes.get("db-1")!.id].sort());

    const again = mods.imp.previewImport(db, body());
    expect(again.summary).toMatchObject({ added: 0, changed: 0, unchanged: 4, groupsAdded: 0, groupsChanged: 0 });
    const before = JSON.stringify(mods.nodes.listNodes(db));
    const audits = auditCount();
    expect(mods.imp.applyImport(db, { ...body(), fingerprint: again.fingerprint }, "alice")).toMatchObject({ created: 0, updated: 0 });
    expect(JSON.stringify(mods.nodes.listNodes(db))).toBe(before);
    expect(auditCount()).toBe(audits + 1); // only the import's own row
  });

  it("shows what changes, and applies only that preview", () => {
    importAll(body());
    const changed = INI.replace("ansible_port=2200", "ansible_port=2201").replace("[db]\n", "[db]\nweb-1\n");
    const preview = mods.imp.previewImport(db, body(changed));
    expect(preview.summary).toMatchObject({ changed: 2, unchanged: 2, groupsChanged: 1 });
    expect(preview.hosts.find((h) => h.name === "db-1")!.changes).toEqual(["port: 2200 -> 2201"]);
    expect(preview.hosts.find((h) => h.name === "web-1")!.changes).toEqual(["groups: +db"]);
    expect(preview.groups.find((g) => g.name === "db")).toMatchObject({ status: "changed", added: ["web-1"], removed: [] });
    // A preview of another file does not apply.
    expect(() => mods.imp.applyImport(db, { ...body(changed.replace("2201", "2202")), fingerprint: preview.fingerprint }, "alice")).toThrow(/preview again/);
    expect(mods.nodes.getNodeByName(db, "db-1")!.port).toBe(2200);
    // The result counts what the preview called changed, a new group membership included.
    expect(mods.imp.applyImport(db, { ...body(changed), fingerprint: preview.fingerprint }, "alice")).toMatchObject({ created: 0, updated: 2 });
    expect(mods.nodes.getNodeByName(db, "db-1")!.port).toBe(2201);
  });

  it("refuses a vaulted become password naming where it is, and stores nothing", () => {
    const yaml = `all:\n  vars:\n    ansible_user: ops\n  children:\n    db:\n      vars:\n        ansible_become_password: !vault |\n          $ANSIBLE_VAULT;1.1;AES256\n          3132\n      hosts:\n        db-1:\n`;
    const b = { inventory: { name: "hosts.yml", content: yaml }, keyFiles: [] };
    expect(() => mods.imp.previewImport(db, b)).toThrow(
      "inventory: ansible_become_password of group db's vars (for host db-1) is encrypted with Ansible Vault. nodeprep does not decrypt vaulted values and imports nothing of a file it cannot read whole. Remove the encrypted ansible_become_password from the file, import it, then enter the sudo password on the node's page.",
    );
    expect(mods.nodes.listNodes(db)).toEqual([]);
  });

  it("lists every problem, and imports nothing while there is one", () => {
    const bad = "[web]\nweb-1 ansible_user=ops ansible_ssh_private_key_file=/keys/missing.pem\nweb-2 ansible_connection=winrm ansible_user=ops\nweb-3\nweb_4! ansible_user=ops\n";
    const preview = mods.imp.previewImport(db, { inventory: { name: "h.ini", content: bad }, keyFiles: [] });
    expect(preview.ready).toBe(false);
    expect(Object.fromEntries(preview.hosts.map((h) => [h.name, h.problems]))).toEqual({
      "web-1": ["ansible_ssh_private_key_file /keys/missing.pem: upload missing.pem with the inventory"],
      "web-2": ["ansible_connection=winrm: nodeprep reaches hosts over SSH only"],
      "web-3": ["no ansible_user: set it for the host or its group (e.g. [all:vars] ansible_user=ops)"],
      "web_4!": [
        `the name "web_4!" may contain only letters, digits, '.', '-' and '_', starting with a letter or digit`,
        `ansible_host "web_4!": must be a host name, an IPv4 address or an IPv6 address`,
      ],
    });
    expect(() => mods.imp.applyImport(db, { inventory: { name: "h.ini", content: bad }, keyFiles: [], fingerprint: preview.fingerprint }, "a")).toThrow(/nothing was imported/);
    expect(mods.nodes.listNodes(db)).toEqual([]);
  });

  it("pins host keys from known_hosts, plain or hashed, and never replaces a pinned key", () => {
    const salt = randomBytes(20);
    const hashed = `|1|${salt.toString("base64")}|${createHmac("sha1", salt).update("[10.0.0.9]:2200").digest("base64")}`;
    const knownHosts = `192.0.2.10 ssh-ed25519 ${ED}\n${hashed} ssh-ed25519 ${ED}\n@cert-authority *.example ssh-ed25519 ${ED}\n`;
    const preview = mods.imp.previewImport(db, body(INI, { knownHosts }));
    expect(preview.knownHostsSkipped).toBe(1);
    expect(preview.hosts.filter((h) => h.hostKey).map((h) => h.name)).toEqual(["bastion", "db-1"]);
    importAll(body(INI, { knownHosts }));
    expect(mods.nodes.getNodeByName(db, "db-1")!.hostKey).toMatchObject({ source: "operator", trustedBy: "alice" });
    const other = "AAAAC3NzaC1lZDI1NTE5AAAAIBv1TrSLR6dyb2WImH2gwN/8oHQG1uH0fNCVNyNuwe9g";
    const again = mods.imp.previewImport(db, body(INI, { knownHosts: `192.0.2.10 ssh-ed25519 ${other}\n` }));
    const bastion = again.hosts.find((h) => h.name === "bastion")!;
    expect(bastion.status).toBe("unchanged");
    expect(bastion.notes[0]).toMatch(/the pinned key is kept/);
  });
});

describe("inventory export", () => {
  it("INI and YAML carry the same hosts, variables, groups and children; re-importing either changes nothing", () => {
    importAll(body());
    const ini = mods.exp.exportIni(db);
    expect(ini).toContain("web-1 ansible_host=10.0.0.1 ansible_port=22 ansible_user=ops ansible_ssh_common_args=\"'-o ProxyJump=ops@192.0.2.10:22'\"");
    expect(ini).toContain("[prod:children]\ndb\nweb\n");
    expect(ini).not.toContain("sudo-pw");
    const yaml = mods.exp.exportYaml(db);
    expect(yaml).not.toContain("OPENSSH");
    for (const [name, content] of [["e.ini", ini], ["e.yml", yaml]]) {
      const preview = mods.imp.previewImport(db, { inventory: { name, content }, keyFiles: [] });
      expect(preview.summary).toMatchObject({ added: 0, changed: 0, unchanged: 4, groupsAdded: 0, groupsChanged: 0 });
    }
  });
});
