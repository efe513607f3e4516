// Table-driven tests over EVERY API route. Routes are discovered from app/api/**/route.ts,
// so a new route fails here until it has an entry in ROUTES below saying who may call it and which
// malformed inputs it must refuse. Handlers are called in-process on a temporary database.
//
// For each route and method:
//   - it is built with route() and declares the role the table expects;
//   - without a session -> 401; with each role below the least one -> 403 (unless public);
//   - a mutating method from another Origin -> 403, even for an admin; a declared 5 MB body -> 413;
//   - malformed bodies / query strings -> 400 naming the field;
//   - and after all of that the database is exactly as it was (nothing stored);
//   - a route open to trainees answers a trainee 403 for what belongs to a node that is not theirs
//     (another node's run, health, check...) and does not for their own node.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "nodeprep-routes-"));
process.env.NODEPREP_DATA_DIR = dataDir;

type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
type Access = "public" | "trainee" | "viewer" | "operator" | "trainer" | "admin";
const METHODS: Method[] = ["GET", "POST", "PUT", "PATCH", "DELETE"];
const ROLE_ORDER = ["trainee", "viewer", "operator", "trainer", "admin"] as const;

interface Bad {
  /** What is wrong, for the test's name. */
  why: string;
  /** A JSON-able value, or a raw string sent as is. */
  body?: unknown;
  /** A query string (without '?'). */
  query?: string;
  /** Path segments instead of the entry's valid ones. */
  params?: Record<string, string>;
  /** The field the 400 must name (a prefix of the answer's `field`). */
  field?: string;
}

/** What a trainee sends about some node (theirs or another's). */
interface Ask {
  params?: Record<string, string>;
  body?: unknown;
  query?: string;
}

/** Ids the trainee tests use: the test trainee's own practice node and another one, each with a run and a check. */
interface Fixture {
  own: string;
  other: string;
  ownRun: string;
  otherRun: string;
  ownCheck: string;
  otherCheck: string;
  /** A health scan of both nodes. */
  scan: string;
  /** Scenario attempts: the test trainee's on their node (still being set up), another trainee's on the other. */
  ownAttempt: string;
  otherAttempt: string;
}

type TraineeCase =
  | { other: (f: Fixture) => Ask; own?: (f: Fixture) => Ask }
  | { filters: (f: Fixture) => Ask }
  /** About no node at all (a scenario's text, a self-check): a trainee may, and learns nothing of other nodes. */
  | { nodeless: (f: Fixture) => Ask };

interface MethodEntry {
  role: Access;
  /**
   * A body that passes validation (required when the route parses one): the table adds an unknown
   * field to it, at the top and in each nested object, and expects a 400 naming that field.
   */
  good?: Record<string, unknown>;
  /** A query string that passes validation (when the route parses one): an unknown parameter is a 400. */
  goodQuery?: string;
  /** Values for the [segments] of the path; a random uuid by default. */
  params?: Record<string, string>;
  /** Malformed inputs that must get a 400; required when the route parses a body or a query. */
  bad?: Bad[];
  /**
   * Routes open to trainees that name a node (or a run, a check...): what a trainee sends about
   * another node (403) and about their own (anything but 403; omitted where that would start work on
   * a host). Or, for a list, `filters`: what the trainee asks, whose answer must not mention the other
   * node, its run or its check at all. Required for every route open to trainees with a [segment] in
   * its path, and for every list open to them.
   */
  trainee?: TraineeCase | TraineeCase[];
}

const HUGE = "x".repeat(200_000);
const uuid = "5b0e7a3c-6a51-4c5e-9d1f-2a7c1d9e0b11";

/** Cases every route with a JSON body gets, whatever its schema. */
const GENERIC_BAD_BODIES: Bad[] = [
  { why: "no body", body: undefined },
  { why: "not JSON", body: "{not json" },
  { why: "a JSON array", body: "[]" },
  { why: "a JSON string", body: '"hello"' },
];

/** A node body that passes validation, to vary one field at a time. */
const GOOD_NODE = {
  name: "web-1",
  address: "10.0.0.5",
  port: 22,
  username: "ops",
  auth: { method: "password", password: "not-a-real-one" },
  privilege: { kind: "sudo-nopasswd" },
};

const ROUTES: Record<string, Partial<Record<Method, MethodEntry>>> = {
  "/api/nodes": {
    GET: { role: "trainee", trainee: { filters: () => ({}) } },
    POST: {
      role: "admin",
      good: { ...GOOD_NODE, auth: { method: "password", password: "not-a-real-one" }, privilege: { kind: "sudo-password", password: "pw-of-sudo" } },
      bad: [
        { why: "a newline in the sudo password", body: { ...GOOD_NODE, privilege: { kind: "sudo-password", password: "pw\nid > /tmp/x" } }, field: "privilege.password" },
        { why: "a NUL in the login password", body: { ...GOOD_NODE, auth: { method: "password", password: "pw\u0000x" } }, field: "auth.password" },
        { why: "ESC in the key's passphrase", body: { ...GOOD_NODE, auth: { method: "key", privateKey: "-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n-----END OPENSSH PRIVATE KEY-----\n", passphrase: "p\u001b[2J" } }, field: "auth.passphrase" },
        { why: "a NUL inside the private key", body: { ...GOOD_NODE, auth: { method: "key", privateKey: "-----BEGIN OPENSSH PRIVATE KEY-----\na\u0000b\n-----END OPENSSH PRIVATE KEY-----\n" } }, field: "auth.privateKey" },
        { why: "a newline in the name", body: { ...GOOD_NODE, name: "web-1\nx" }, field: "name" },
        ...GENERIC_BAD_BODIES,
        { why: "fields missing", body: {}, field: "name" },
        { why: "$(reboot) as the address", body: { ...GOOD_NODE, address: "$(reboot)" }, field: "address" },
        { why: "backticks in the name", body: { ...GOOD_NODE, name: "`id`" }, field: "name" },
        { why: "; in the user", body: { ...GOOD_NODE, username: "ops;reboot" }, field: "username" },
        { why: "port out of range", body: { ...GOOD_NODE, port: 70000 }, field: "port" },
        { why: "port a string", body: { ...GOOD_NODE, port: "twenty-two" }, field: "port" },
        { why: "huge address", body: { ...GOOD_NODE, address: HUGE }, field: "address" },
        { why: "unknown auth method", body: { ...GOOD_NODE, auth: { method: "telnet" } }, field: "auth" },
        { why: "not a private key", body: { ...GOOD_NODE, auth: { method: "key", privateKey: "hello" } }, field: "auth" },
        { why: "password auth without the password", body: { ...GOOD_NODE, auth: { method: "password" } }, field: "auth" },
        { why: "sudo password missing", body: { ...GOOD_NODE, privilege: { kind: "sudo-password" } }, field: "privilege" },
      ],
    },
  },
  "/api/nodes/[id]": {
    GET: {
      role: "trainee",
      bad: [{ why: "$(reboot) as the node id", params: { id: "$(reboot)" }, field: "id" }],
      trainee: { other: (f) => ({ params: { id: f.other } }), own: (f) => ({ params: { id: f.own } }) },
    },
    PATCH: {
      role: "admin",
      good: GOOD_NODE,
      bad: [
        ...GENERIC_BAD_BODIES,
        { why: "a newline in the sudo password", body: { ...GOOD_NODE, privilege: { kind: "sudo-password", password: "pw\nid > /tmp/x" } }, field: "privilege.password" },
        { why: "; in the user", body: { ...GOOD_NODE, username: "a;b" }, field: "username" },
        { why: "newline in the address", body: { ...GOOD_NODE, address: "host\nreboot" }, field: "address" },
        { why: "not a node id", params: { id: "../../etc/passwd" }, body: GOOD_NODE, field: "id" },
      ],
    },
    DELETE: { role: "admin", bad: [{ why: "not a node id", params: { id: "x;reboot" }, field: "id" }] },
  },
  "/api/nodes/[id]/facts": { POST: { role: "operator", bad: [{ why: "not a node id", params: { id: "`id`" }, field: "id" }] } },
  "/api/nodes/[id]/report": {
    GET: {
      role: "viewer",
      goodQuery: "format=md",
      bad: [
        { why: "not a node id", params: { id: "$(reboot)" }, field: "id" },
        { why: "an unknown format", query: "format=pdf", field: "format" },
        { why: "an unknown query field", query: "format=md&x=1" },
      ],
    },
  },
  "/api/nodes/[id]/test": { POST: { role: "operator", bad: [{ why: "not a node id", params: { id: "$(reboot)" }, field: "id" }] } },
  "/api/nodes/[id]/host-key": {
    POST: {
      role: "admin",
      good: { action: "trust", fingerprint: `SHA256:${"A".repeat(43)}` },
      bad: [
        ...GENERIC_BAD_BODIES,
        { why: "unknown action", body: { action: "ignore", fingerprint: `SHA256:${"A".repeat(43)}` }, field: "action" },
        { why: "not a fingerprint", body: { action: "trust", fingerprint: "MD5:aa:bb" }, field: "fingerprint" },
        { why: "huge fingerprint", body: { action: "trust", fingerprint: HUGE }, field: "fingerprint" },
      ],
    },
  },
  "/api/nodes/dashboard-key": { GET: { role: "viewer" } },

  "/api/catalog": { GET: { role: "trainee" } },
  "/api/catalog/progress": {
    GET: {
      role: "trainee",
      goodQuery: "nodeIds=",
      bad: [{ why: "huge nodeIds", query: `nodeIds=${"a".repeat(20_000)}`, field: "nodeIds" }],
      trainee: { other: (f) => ({ query: `nodeIds=${f.own},${f.other}` }), own: (f) => ({ query: `nodeIds=${f.own}` }) },
    },
  },

  "/api/runs": {
    GET: { role: "trainee", goodQuery: "limit=5", bad: [{ why: "limit not a number", query: "limit=lots", field: "limit" }], trainee: { filters: () => ({}) } },
    POST: {
      role: "trainee",
      good: { stepIds: ["kernel-modules"], nodeIds: [uuid], mode: "apply", delivery: { kind: "mirror", url: "http://mirror.lan/k8s/" }, versions: {}, rolling: { batch: "25%", stopAfter: 2 } },
      // Their own node would start a real run: the e2e spec does that.
      trainee: { other: (f) => ({ body: { stepIds: ["kernel-modules"], nodeIds: [f.own, f.other], mode: "check" } }) },
      bad: [
        { why: "a batch of 0 nodes", body: { stepIds: ["kernel-modules"], nodeIds: [uuid], mode: "apply", rolling: { batch: 0 } }, field: "rolling.batch" },
        { why: "a fractional batch", body: { stepIds: ["kernel-modules"], nodeIds: [uuid], mode: "apply", rolling: { batch: 1.5 } }, field: "rolling.batch" },
        { why: "a batch of 0%", body: { stepIds: ["kernel-modules"], nodeIds: [uuid], mode: "apply", rolling: { batch: "0%" } }, field: "rolling.batch" },
        { why: "a batch of 101%", body: { stepIds: ["kernel-modules"], nodeIds: [uuid], mode: "apply", rolling: { batch: "101%" } }, field: "rolling.batch" },
        { why: "a batch as words", body: { stepIds: ["kernel-modules"], nodeIds: [uuid], mode: "apply", rolling: { batch: "half" } }, field: "rolling.batch" },
        { why: "no batch size", body: { stepIds: ["kernel-modules"], nodeIds: [uuid], mode: "apply", rolling: { stopAfter: 1 } }, field: "rolling.batch" },
        { why: "stop after 0 failures", body: { stepIds: ["kernel-modules"], nodeIds: [uuid], mode: "apply", rolling: { batch: 1, stopAfter: 0 } }, field: "rolling.stopAfter" },
        { why: "stop after -5%", body: { stepIds: ["kernel-modules"], nodeIds: [uuid], mode: "apply", rolling: { batch: 1, stopAfter: "-5%" } }, field: "rolling.stopAfter" },
        { why: "stop after 150%", body: { stepIds: ["kernel-modules"], nodeIds: [uuid], mode: "apply", rolling: { batch: 1, stopAfter: "150%" } }, field: "rolling.stopAfter" },
        { why: "rolling a string", body: { stepIds: ["kernel-modules"], nodeIds: [uuid], mode: "apply", rolling: "serial" }, field: "rolling" },
        { why: "a rolling Check", body: { stepIds: ["kernel-modules"], nodeIds: [uuid], mode: "check", rolling: { batch: 1 } }, field: "rolling" },
        { why: "a javascript: mirror", body: { stepIds: ["containerd"], nodeIds: [uuid], mode: "check", delivery: { kind: "mirror", url: "javascript:alert(1)" } }, field: "delivery.url" },
        { why: "a file: mirror", body: { stepIds: ["containerd"], nodeIds: [uuid], mode: "check", delivery: { kind: "mirror", url: "file:///etc/shadow" } }, field: "delivery.url" },
        { why: "a version the catalogue lacks", body: { stepIds: ["containerd"], nodeIds: [uuid], mode: "check", versions: { containerd: "9.9.9" } }, field: "versions.containerd" },
        { why: "fields missing", body: {}, field: "stepIds" },
        { why: "mode unknown", body: { stepIds: ["kernel-modules"], nodeIds: [uuid], mode: "yolo" }, field: "mode" },
        { why: "stepIds a string", body: { stepIds: "kernel-modules", nodeIds: [uuid], mode: "check" }, field: "stepIds" },
        { why: "$(reboot) as a step", body: { stepIds: ["$(reboot)"], nodeIds: [uuid], mode: "check" }, field: "stepIds" },
        { why: "newline in a step", body: { stepIds: ["kernel-modules\nreboot"], nodeIds: [uuid], mode: "check" }, field: "stepIds" },
        { why: "no nodes", body: { stepIds: ["kernel-modules"], nodeIds: [], mode: "check" }, field: "nodeIds" },
        { why: "huge node id", body: { stepIds: ["kernel-modules"], nodeIds: [HUGE], mode: "check" }, field: "nodeIds" },
        { why: "huge step id", body: { stepIds: [HUGE], nodeIds: [uuid], mode: "check" }, field: "stepIds" },
      ],
    },
  },
  "/api/terminals": { GET: { role: "viewer", goodQuery: "limit=5", bad: [{ why: "node not an id", query: "node=$(reboot)", field: "node" }] } },
  "/api/terminals/access": { GET: { role: "viewer", goodQuery: `node=${uuid}`, bad: [{ why: "no node", query: "", field: "node" }, { why: "node not an id", query: "node=x;reboot", field: "node" }] } },
  "/api/terminals/[id]/input": { GET: { role: "viewer", bad: [{ why: "; as the session id", params: { id: "x;reboot" }, field: "id" }] } },
  "/api/runs/[id]": {
    GET: {
      role: "trainee",
      bad: [{ why: "$(reboot) as the run id", params: { id: "$(reboot)" }, field: "id" }],
      trainee: { other: (f) => ({ params: { id: f.otherRun } }), own: (f) => ({ params: { id: f.ownRun } }) },
    },
  },
  "/api/runs/[id]/cancel": {
    POST: {
      role: "trainee",
      bad: [{ why: "; as the run id", params: { id: "x;reboot" }, field: "id" }],
      // Their own run has ended: 409 "not running", not 403.
      trainee: { other: (f) => ({ params: { id: f.otherRun } }), own: (f) => ({ params: { id: f.ownRun } }) },
    },
  },
  "/api/runs/[id]/continue": {
    // A rolling run waiting after its canary batch: operators only (a trainee or viewer gets 403).
    POST: {
      role: "operator",
      good: { afterBatch: 1 },
      bad: [
        { why: "; as the run id", params: { id: "x;reboot" }, field: "id" },
        { why: "no batch", body: {}, field: "afterBatch" },
        { why: "batch 0", body: { afterBatch: 0 }, field: "afterBatch" },
        { why: "a fractional batch", body: { afterBatch: 1.5 }, field: "afterBatch" },
        { why: "the batch as text", body: { afterBatch: "1" }, field: "afterBatch" },
        { why: "a huge batch", body: { afterBatch: 1e9 }, field: "afterBatch" },
        ...GENERIC_BAD_BODIES,
      ],
    },
  },
  "/api/runs/[id]/events": {
    GET: {
      role: "trainee",
      goodQuery: "after=0",
      trainee: { other: (f) => ({ params: { id: f.otherRun } }), own: (f) => ({ params: { id: f.ownRun } }) },
      bad: [
        { why: "after negative", query: "after=-1", field: "after" },
        { why: "run id not an id", params: { id: "not-a-run" }, field: "id" },
      ],
    },
  },

  "/api/auth/login": {
    POST: {
      role: "public",
      good: { name: "someone", password: "whatever" },
      bad: [
        { why: "a newline in the name", body: { name: "admin\nforged-entry", password: "x" }, field: "name" },
        { why: "ESC in the name", body: { name: "admin\u001b[31m", password: "x" }, field: "name" },
        { why: "name missing", body: { password: "x" }, field: "name" },
        { why: "password a number", body: { name: "admin", password: 12345 }, field: "password" },
        { why: "huge name", body: { name: HUGE, password: "x" }, field: "name" },
        { why: "huge password", body: { name: "admin", password: HUGE }, field: "password" },
      ],
    },
  },
  "/api/auth/logout": { POST: { role: "public" } },
  "/api/auth/me": { GET: { role: "trainee" } },
  "/api/auth/setup": {
    POST: {
      role: "public",
      good: { token: "a".repeat(32), name: "root", password: "long-enough-password" },
      bad: [
        { why: "token missing", body: { name: "root", password: "long-enough-password" }, field: "token" },
        { why: "$(reboot) in the name", body: { token: "a".repeat(32), name: "$(reboot)", password: "long-enough-password" }, field: "name" },
        { why: "; in the name", body: { token: "a".repeat(32), name: "admin;id", password: "long-enough-password" }, field: "name" },
        { why: "short password", body: { token: "a".repeat(32), name: "root", password: "short" }, field: "password" },
      ],
    },
  },

  "/api/users": {
    GET: { role: "admin" },
    POST: {
      role: "admin",
      good: { name: "eve", role: "viewer", password: "long-enough-password" },
      bad: [
        { why: "a newline in the password", body: { name: "eve", role: "viewer", password: "long-enough\npassword" }, field: "password" },
        { why: "fields missing", body: {}, field: "name" },
        { why: "role unknown", body: { name: "eve", role: "root", password: "long-enough-password" }, field: "role" },
        { why: "; in the user", body: { name: "eve;rm -rf /", role: "viewer", password: "long-enough-password" }, field: "name" },
        { why: "$(reboot) in the user", body: { name: "$(reboot)", role: "viewer", password: "long-enough-password" }, field: "name" },
        { why: "newline in the user", body: { name: "eve\nadmin", role: "viewer", password: "long-enough-password" }, field: "name" },
        { why: "huge user", body: { name: HUGE, role: "viewer", password: "long-enough-password" }, field: "name" },
        { why: "password a number", body: { name: "eve", role: "viewer", password: 123456789012 }, field: "password" },
        { why: "huge password", body: { name: "eve", role: "viewer", password: HUGE }, field: "password" },
      ],
    },
  },
  "/api/users/[id]": {
    PATCH: {
      role: "admin",
      good: { role: "viewer" },
      bad: [
        { why: "$(reboot) as the id", params: { id: "$(reboot)" }, body: { role: "viewer" }, field: "id" },
        { why: "nothing to change", body: {} },
        { why: "role unknown", body: { role: "superuser" }, field: "role" },
        { why: "disabled a string", body: { disabled: "yes" }, field: "disabled" },
        { why: "unknown field", body: { name: "mallory" } },
      ],
    },
    DELETE: { role: "admin", bad: [{ why: "not an id", params: { id: "1 OR 1=1" }, field: "id" }] },
  },
  "/api/artifacts": { GET: { role: "trainee" } },
  "/api/artifacts/fetch": {
    POST: {
      role: "operator",
      good: { artifactId: "runc@1.3.4:amd64" },
      bad: [
        { why: "artifactId missing", body: {}, field: "artifactId" },
        { why: "$(reboot) as artifactId", body: { artifactId: "$(reboot)" }, field: "artifactId" },
        { why: "a path as artifactId", body: { artifactId: "../../etc/passwd" }, field: "artifactId" },
        { why: "huge artifactId", body: { artifactId: HUGE }, field: "artifactId" },
      ],
    },
  },
  "/api/artifacts/uploads": {
    POST: {
      role: "operator",
      good: { artifactId: "runc@1.3.4:amd64", size: 10 },
      bad: [
        { why: "size missing", body: { artifactId: "runc@1.3.4:amd64" }, field: "size" },
        { why: "size negative", body: { artifactId: "runc@1.3.4:amd64", size: -1 }, field: "size" },
        { why: "arch unknown", body: { artifactId: "runc@1.3.4:riscv64", size: 10 }, field: "artifactId" },
        { why: "; in artifactId", body: { artifactId: "runc@1.3.4:amd64;id", size: 10 }, field: "artifactId" },
      ],
    },
  },
  "/api/artifacts/uploads/[id]": {
    PUT: {
      role: "operator",
      params: { id: "a".repeat(24) },
      goodQuery: "offset=0",
      bad: [
        { why: "offset missing", query: "", field: "offset" },
        { why: "offset negative", query: "offset=-5", field: "offset" },
        { why: "offset not a number", query: "offset=zero", field: "offset" },
        { why: "$(reboot) as the upload id", query: "offset=0", params: { id: "$(reboot)" }, field: "id" },
      ],
    },
  },
  "/api/artifacts/uploads/[id]/complete": {
    POST: { role: "operator", params: { id: "a".repeat(24) }, bad: [{ why: "a path as the upload id", params: { id: "../../etc/passwd" }, field: "id" }] },
  },
  "/api/audit": {
    GET: {
      role: "admin",
      goodQuery: "limit=5",
      bad: [
        { why: "from not a time", query: "from=yesterday", field: "from" },
        { why: "limit too big", query: "limit=100000", field: "limit" },
        { why: "huge user", query: `user=${"u".repeat(1000)}`, field: "user" },
        { why: "action with shell characters", query: "action=%24(reboot)", field: "action" },
      ],
    },
  },
  "/api/audit/scripts/[hash]": {
    GET: {
      role: "admin",
      params: { hash: "a".repeat(64) },
      bad: [
        { why: "not a sha256", params: { hash: "abc" }, field: "hash" },
        { why: "a path as the hash", params: { hash: "../../etc/passwd" }, field: "hash" },
      ],
    },
  },
  "/api/audit/export": {
    GET: {
      role: "admin",
      goodQuery: "format=csv",
      bad: [
        { why: "format missing", query: "", field: "format" },
        { why: "format unknown", query: "format=html", field: "format" },
        { why: "to not a time", query: "format=csv&to=tomorrow", field: "to" },
      ],
    },
  },
  "/api/groups": {
    GET: { role: "viewer" },
    POST: {
      role: "admin",
      good: { name: "web", nodeIds: [uuid] },
      bad: [
        ...GENERIC_BAD_BODIES,
        { why: "no name", body: {}, field: "name" },
        { why: "a newline in the name", body: { name: "web\nprod" }, field: "name" },
        { why: "$(reboot) as the name", body: { name: "$(reboot)" }, field: "name" },
        { why: "all is Ansible's", body: { name: "all" }, field: "name" },
        { why: "a node id that is not one", body: { name: "web", nodeIds: ["x;reboot"] }, field: "nodeIds" },
        { why: "an unknown field", body: { name: "web", hosts: [] }, field: "body" },
      ],
    },
  },
  "/api/groups/[id]": {
    PATCH: {
      role: "admin",
      good: { name: "web" },
      bad: [
        ...GENERIC_BAD_BODIES,
        { why: "not a group id", params: { id: "../x" }, body: { name: "web" }, field: "id" },
        { why: "control characters in the name", body: { name: "web\u001b[2J" }, field: "name" },
      ],
    },
    DELETE: { role: "admin", bad: [{ why: "not a group id", params: { id: "$(reboot)" }, field: "id" }] },
  },
  "/api/inventory/preview": {
    POST: {
      role: "admin",
      good: { inventory: { name: "hosts", content: "h1 ansible_user=ops" } },
      bad: [
        ...GENERIC_BAD_BODIES,
        { why: "no inventory", body: {}, field: "inventory" },
        { why: "an empty file", body: { inventory: { name: "hosts", content: "" } }, field: "inventory.content" },
        { why: "a path as the file name", body: { inventory: { name: "../etc/hosts", content: "h1" } }, field: "inventory.name" },
        { why: "a newline in the file name", body: { inventory: { name: "a\nb", content: "h1" } }, field: "inventory.name" },
        { why: "a key file that is no key", body: { inventory: { name: "hosts", content: "h1" }, keyFiles: [{ name: "k", content: "hello" }] }, field: "keyFiles" },
        { why: "an unknown field", body: { inventory: { name: "hosts", content: "h1" }, vault: "pw" }, field: "body" },
        { why: "an unreadable inventory", body: { inventory: { name: "hosts", content: "[web:oops]\n" } }, field: "inventory" },
      ],
    },
  },
  "/api/inventory/import": {
    POST: {
      role: "admin",
      good: { inventory: { name: "hosts", content: "h1 ansible_user=ops" }, fingerprint: "0".repeat(64) },
      bad: [
        ...GENERIC_BAD_BODIES,
        { why: "no fingerprint", body: { inventory: { name: "hosts", content: "h1 ansible_user=ops" } }, field: "fingerprint" },
        { why: "a fingerprint that is not one", body: { inventory: { name: "hosts", content: "h1 ansible_user=ops" }, fingerprint: "abc" }, field: "fingerprint" },
      ],
    },
  },
  "/api/inventory/export": { GET: { role: "viewer", goodQuery: "format=yaml", bad: [{ why: "an unknown format", query: "format=xml", field: "format" }] } },
  "/api/exports/ansible": {
    POST: {
      role: "viewer",
      good: { stepIds: ["runc"], delivery: { kind: "mirror", url: "https://mirror.example/releases" }, versions: { runc: "1.1.5" }, rolling: { batch: 2, stopAfter: "10%" } },
      bad: [
        ...GENERIC_BAD_BODIES,
        { why: "no steps", body: { stepIds: [] }, field: "stepIds" },
        { why: "$(reboot) as a step", body: { stepIds: ["$(reboot)"] }, field: "stepIds" },
        { why: "a mirror that is no URL", body: { stepIds: ["runc"], delivery: { kind: "mirror", url: "; reboot" } }, field: "delivery" },
        { why: "an arch nobody publishes", body: { stepIds: ["runc"], arch: "s390x" }, field: "arch" },
        { why: "a node id that is none", body: { stepIds: ["runc"], nodeIds: ["../x"] }, field: "nodeIds" },
        { why: "a version with shell", body: { stepIds: ["runc"], versions: { runc: "1.1.5;id" } }, field: "versions" },
        { why: "an unknown field", body: { stepIds: ["runc"], playbook: "x" }, field: "body" },
        { why: "a step the catalog lacks", body: { stepIds: ["no-such-step"] } },
        { why: "a serial of 0", body: { stepIds: ["runc"], rolling: { batch: 0 } }, field: "rolling.batch" },
        { why: "a max failure of 0%", body: { stepIds: ["runc"], rolling: { batch: "10%", stopAfter: "0%" } }, field: "rolling.stopAfter" },
      ],
    },
  },
  "/api/health": {
    GET: {
      role: "trainee",
      goodQuery: "since=0",
      trainee: { filters: () => ({}) },
      bad: [
        { why: "since not a number", query: "since=%24(reboot)", field: "since" },
        { why: "an unknown parameter", query: "nodes=all", field: "query" },
      ],
    },
  },
  "/api/health/scans": {
    POST: {
      role: "trainee",
      good: { trigger: "manual", rerunAll: false },
      trainee: { other: (f) => ({ body: { nodeIds: [f.other] } }) },
      bad: [
        { why: "nodeIds not uuids", body: { nodeIds: ["$(reboot)"] }, field: "nodeIds" },
        { why: "nodeIds empty", body: { nodeIds: [] }, field: "nodeIds" },
        { why: "nodeIds a string", body: { nodeIds: "all" }, field: "nodeIds" },
        { why: "trigger unknown", body: { trigger: "cron" }, field: "trigger" },
        { why: "unknown field", body: { command: "id" } },
        { why: "an unknown node", body: { nodeIds: [uuid] }, field: "nodeIds" },
      ],
    },
  },
  "/api/health/scans/[id]": {
    GET: {
      role: "trainee",
      bad: [{ why: "not a scan id", params: { id: "$(reboot)" }, field: "id" }],
      trainee: { filters: (f) => ({ params: { id: f.scan } }) },
    },
  },
  "/api/health/nodes/[nodeId]": {
    GET: {
      role: "trainee",
      bad: [{ why: "a path as the node id", params: { nodeId: "../../etc/passwd" }, field: "nodeId" }],
      trainee: { other: (f) => ({ params: { nodeId: f.other } }), own: (f) => ({ params: { nodeId: f.own } }) },
    },
  },
  "/api/health/checks/[checkId]": {
    GET: {
      role: "trainee",
      trainee: { other: (f) => ({ params: { checkId: f.otherCheck } }), own: (f) => ({ params: { checkId: f.ownCheck } }) },
      params: { checkId: "1" },
      bad: [
        { why: "not a number", params: { checkId: "1;reboot" }, field: "checkId" },
        { why: "negative", params: { checkId: "-4" }, field: "checkId" },
      ],
    },
  },
  "/api/health/drift": {
    GET: {
      role: "trainee",
      goodQuery: "open=1",
      trainee: [{ other: (f) => ({ query: `nodeId=${f.other}` }), own: (f) => ({ query: `nodeId=${f.own}` }) }, { filters: () => ({}) }],
      bad: [
        { why: "open not 0/1", query: "open=yes", field: "open" },
        { why: "nodeId with shell characters", query: "nodeId=%24(reboot)", field: "nodeId" },
        { why: "limit too big", query: "limit=100000", field: "limit" },
      ],
    },
  },

  // ---- practice nodes and training ----
  "/api/practice": { GET: { role: "trainee", trainee: { filters: () => ({}) } } },
  "/api/practice/nodes": { POST: { role: "trainer" } },
  "/api/practice/nodes/[nodeId]": {
    POST: {
      role: "trainee",
      good: { action: "reset" },
      bad: [
        { why: "action unknown", body: { action: "explode" }, field: "action" },
        { why: "action missing", body: {}, field: "action" },
        { why: "unknown field", body: { action: "reset", command: "id" } },
        { why: "not a node id", params: { nodeId: "$(reboot)" }, body: { action: "reset" }, field: "nodeId" },
      ],
      // Their own would reset a real VM: the e2e spec does that.
      trainee: { other: (f) => ({ params: { nodeId: f.other }, body: { action: "reset" } }) },
    },
  },
  "/api/training/scenarios": { GET: { role: "trainee", trainee: { nodeless: () => ({}) } } },
  "/api/training/scenarios/[scenarioId]": {
    GET: {
      role: "trainee",
      params: { scenarioId: "swap-on" },
      bad: [{ why: "$(reboot) as the scenario", params: { scenarioId: "$(reboot)" }, field: "scenarioId" }],
      trainee: { nodeless: () => ({ params: { scenarioId: "swap-on" } }) },
    },
  },
  "/api/training/scenarios/[scenarioId]/attempts": {
    POST: {
      role: "trainee",
      params: { scenarioId: "swap-on" },
      good: { nodeId: uuid },
      bad: [
        { why: "nodeId not an id", body: { nodeId: "practice-1;reboot" }, field: "nodeId" },
        { why: "unknown field", body: { fault: "rm -rf /" } },
        { why: "a path as the scenario", params: { scenarioId: "../../etc" }, body: {}, field: "scenarioId" },
      ],
      // Their own would reset and break a real VM: the integration and e2e tests do that.
      trainee: { other: (f) => ({ params: { scenarioId: "swap-on" }, body: { nodeId: f.other } }) },
    },
  },
  "/api/training/attempts/[attemptId]": {
    GET: {
      role: "trainee",
      bad: [{ why: "not an attempt id", params: { attemptId: "x;id" }, field: "attemptId" }],
      trainee: { other: (f) => ({ params: { attemptId: f.otherAttempt } }), own: (f) => ({ params: { attemptId: f.ownAttempt } }) },
    },
  },
  "/api/training/attempts/[attemptId]/check": {
    POST: {
      role: "trainee",
      bad: [{ why: "not an attempt id", params: { attemptId: "$(reboot)" }, field: "attemptId" }],
      // Their own is still being set up: 409, not 403.
      trainee: { other: (f) => ({ params: { attemptId: f.otherAttempt } }), own: (f) => ({ params: { attemptId: f.ownAttempt } }) },
    },
  },
  "/api/training/attempts/[attemptId]/hints": {
    POST: {
      role: "trainee",
      bad: [{ why: "not an attempt id", params: { attemptId: "../x" }, field: "attemptId" }],
      trainee: { other: (f) => ({ params: { attemptId: f.otherAttempt } }), own: (f) => ({ params: { attemptId: f.ownAttempt } }) },
    },
  },
  "/api/training/attempts/[attemptId]/solution": {
    POST: {
      role: "trainee",
      bad: [{ why: "not an attempt id", params: { attemptId: "1 OR 1=1" }, field: "attemptId" }],
      trainee: { other: (f) => ({ params: { attemptId: f.otherAttempt } }), own: (f) => ({ params: { attemptId: f.ownAttempt } }) },
    },
  },
  "/api/training/trainees": {
    GET: { role: "trainer" },
    POST: {
      role: "trainer",
      good: { name: "ann", password: "long-enough-password" },
      bad: [
        { why: "fields missing", body: {}, field: "name" },
        { why: "$(reboot) as the name", body: { name: "$(reboot)", password: "long-enough-password" }, field: "name" },
        { why: "short password", body: { name: "ann", password: "short" }, field: "password" },
        { why: "node not an id", body: { name: "ann", password: "long-enough-password", node: "practice-1" }, field: "node" },
        { why: "unknown field", body: { name: "ann", password: "long-enough-password", role: "admin" } },
      ],
    },
  },
  "/api/training/trainees/[userId]": {
    PATCH: {
      role: "trainer",
      good: { node: null },
      bad: [
        { why: "node missing", body: {}, field: "node" },
        { why: "node not an id", body: { node: "$(reboot)" }, field: "node" },
        { why: "not a user id", params: { userId: "../admin" }, body: { node: null }, field: "userId" },
      ],
    },
  },
  "/api/training/progress": { GET: { role: "trainer" } },
  "/api/training/progress/export": {
    GET: {
      role: "trainer",
      goodQuery: "format=csv",
      bad: [
        { why: "format missing", query: "", field: "format" },
        { why: "format unknown", query: "format=xlsx", field: "format" },
      ],
    },
  },
  "/api/training/self-checks/[checkId]": {
    GET: {
      role: "trainee",
      params: { checkId: "kernel-modules" },
      bad: [{ why: "$(reboot) as the check", params: { checkId: "$(reboot)" }, field: "checkId" }],
      trainee: { nodeless: () => ({ params: { checkId: "kernel-modules" } }) },
    },
    POST: {
      role: "trainee",
      params: { checkId: "kernel-modules" },
      good: { answers: { persist: 0 } },
      bad: [
        { why: "answers missing", body: {}, field: "answers" },
        { why: "an answer not a number", body: { answers: { persist: "a" } }, field: "answers" },
        { why: "an answer negative", body: { answers: { persist: -1 } }, field: "answers" },
        { why: "shell in a question id", body: { answers: { "$(reboot)": 0 } }, field: "answers" },
        { why: "a question that does not exist", body: { answers: { persist: 0, verify: 0, "why-bridge": 1, nope: 0 } }, field: "answers.nope" },
      ],
      trainee: { nodeless: () => ({ params: { checkId: "kernel-modules" }, body: { answers: { persist: 0, verify: 0, "why-bridge": 1 } } }) },
    },
  },
};

type Handler = ((req: Request, segment?: { params?: Promise<Record<string, string>> }) => Promise<Response>) & {
  spec?: { role: Access; body: boolean; params: boolean; query: boolean };
};

function discoverRoutes(): { urlPath: string; file: string }[] {
  const root = path.resolve("app", "api");
  return (fs.readdirSync(root, { recursive: true }) as string[])
    .filter((f) => path.basename(f) === "route.ts")
    .map((f) => ({ urlPath: `/api/${path.dirname(f).split(path.sep).join("/")}`.replace(/\/\.$/, ""), file: path.join(root, f) }))
    .sort((a, b) => a.urlPath.localeCompare(b.urlPath));
}

const routes = discoverRoutes();

let t: typeof import("../auth/testing");
let database: import("../db").Db;
const cookies: Record<(typeof ROLE_ORDER)[number], string> = { trainee: "", viewer: "", operator: "", trainer: "", admin: "" };
let fixture: Fixture;

beforeAll(async () => {
  t = await import("../auth/testing");
  const { db } = await import("../db");
  database = db();
  for (const role of ROLE_ORDER) cookies[role] = await t.sessionCookieFor(database, role);
  fixture = await traineeFixture(database);
});

/** Two practice nodes, each with a finished run and a health check; the test trainee has the first. */
async function traineeFixture(db: import("../db").Db): Promise<Fixture> {
  const { insertNode } = await import("../nodes/repository");
  const { createRun, finishRun } = await import("../runs/repository");
  const { createScan } = await import("../health/scans");
  const { recordCheck } = await import("../health/checks");
  const { assignNode } = await import("../auth/assignments");
  const { findUserForSignIn } = await import("../auth/users");
  const node = (name: string) =>
    insertNode(db, { name, address: "127.0.0.1", port: 1, username: "prep", authMethod: "key", privilege: "sudo-nopasswd", practice: true });
  const run = (n: { id: string; name: string }) => {
    const id = createRun(db, { mode: "check", stepIds: ["kernel-modules"], nodes: [n], actor: "test" });
    finishRun(db, id, "succeeded", "done");
    return id;
  };
  const check = (n: { id: string; name: string }) =>
    String(recordCheck(db, { scanId: null, nodeId: n.id, nodeName: n.name, at: new Date().toISOString(), outcome: { reach: "unreachable", errorKind: "refused", message: "refused", durationMs: 1 } }));
  const own = node("practice-97");
  const other = node("practice-98");
  assignNode(db, findUserForSignIn(db, "test-trainee")!.id, own.id, "test");
  // The other node drifts: swap-off was ok, then fails.
  for (const status of ["ok", "fail"] as const) {
    const result = { probeId: "swap-off", title: "swap off", status, observed: status, expected: "ok", detail: "", checks: [], data: null, raw: [], fixStepId: null };
    recordCheck(db, { scanId: null, nodeId: other.id, nodeName: other.name, at: new Date().toISOString(), outcome: { reach: "reachable", results: [result], bootId: null, bootedAt: null, durationMs: 1 } });
  }
  const scan = "7d1c0e52-9a43-4b8e-8f0e-3c2b5a6d9e10";
  createScan(db, { id: scan, trigger: "manual", actor: "test", nodes: [own, other] });
  const { createAttempt } = await import("../training/attempts");
  const { createUser } = await import("../auth/users");
  const someoneElse = await createUser(db, { name: "test-other-trainee", role: "trainee", password: "password-for-other" });
  assignNode(db, someoneElse.id, other.id, "test");
  const op = { kind: "start" as const, status: "running" as const, events: [], message: null, startedAt: new Date().toISOString(), finishedAt: null };
  const ownAttempt = createAttempt(db, { userId: findUserForSignIn(db, "test-trainee")!.id, scenarioId: "swap-on", nodeId: own.id, nodeName: own.name, op });
  const otherAttempt = createAttempt(db, { userId: someoneElse.id, scenarioId: "swap-on", nodeId: other.id, nodeName: other.name, op });
  return { own: own.id, other: other.id, ownRun: run(own), otherRun: run(other), ownCheck: check(own), otherCheck: check(other), scan, ownAttempt, otherAttempt };
}

afterAll(() => {
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function concretePath(urlPath: string, params: Record<string, string>): string {
  return urlPath.replace(/\[\.{0,3}([^\]]+)\]/g, (_, name: string) => encodeURIComponent(params[name] ?? uuid));
}

function paramsFor(urlPath: string, entry: MethodEntry): Record<string, string> {
  const names = [...urlPath.matchAll(/\[\.{0,3}([^\]]+)\]/g)].map((m) => m[1]);
  return Object.fromEntries(names.map((n) => [n, entry.params?.[n] ?? uuid]));
}

async function call(
  handler: Handler,
  method: Method,
  urlPath: string,
  entry: MethodEntry,
  init: Parameters<typeof t.apiRequest>[1] & { query?: string; params?: Record<string, string> } = {},
) {
  const params = { ...paramsFor(urlPath, entry), ...init.params };
  const url = concretePath(urlPath, params) + (init.query ? `?${init.query}` : "");
  return handler(t.apiRequest(url, { method, ...init }), { params: Promise.resolve(params) });
}

describe("the route table", () => {
  it("finds the API routes on disk", () => {
    expect(routes.map((r) => r.urlPath)).toContain("/api/auth/login");
  });
  it("has an entry for every route on disk, and no entry for a route that is gone", () => {
    const onDisk = routes.map((r) => r.urlPath);
    expect(onDisk.filter((p) => !(p in ROUTES)), "routes without an entry in ROUTES (server/http/routes.test.ts)").toEqual([]);
    expect(Object.keys(ROUTES).filter((p) => !onDisk.includes(p)), "entries for routes that no longer exist").toEqual([]);
  });
});

for (const { urlPath, file } of routes) {
  describe(urlPath, () => {
    let mod: Partial<Record<Method, Handler>>;
    beforeAll(async () => {
      mod = (await import(file)) as Partial<Record<Method, Handler>>;
    });

    it("exports only methods the table knows", () => {
      const exported = METHODS.filter((m) => typeof mod[m] === "function");
      expect(exported.length).toBeGreaterThan(0);
      expect(exported.filter((m) => !ROUTES[urlPath]?.[m]), `methods of ${urlPath} without a table entry`).toEqual([]);
    });

    for (const method of METHODS) {
      const entry = ROUTES[urlPath]?.[method];
      if (!entry) continue;
      const mutating = method !== "GET";

      describe(method, () => {
        const handler = () => {
          const h = mod[method];
          if (!h) throw new Error(`${urlPath} has no ${method} export (the table has one)`);
          return h;
        };

        it(`is built with route() and demands ${entry.role}`, () => {
          expect(handler().spec, "built with route() from server/http/route.ts").toBeDefined();
          expect(handler().spec!.role).toBe(entry.role);
          const parses = handler().spec!.body || handler().spec!.query || handler().spec!.params;
          if (parses) expect(entry.bad?.length, "a route that parses input lists malformed inputs in the table").toBeGreaterThan(0);
        });

        if (entry.role !== "public") {
          it("answers 401 without a session, and 401 for a made-up session", async () => {
            const before = t.snapshotDb(database);
            expect((await call(handler(), method, urlPath, entry)).status).toBe(401);
            expect((await call(handler(), method, urlPath, entry, { cookie: "nodeprep_session=forged" })).status).toBe(401);
            expect(t.snapshotDb(database)).toEqual(before);
          });
          for (const smaller of ROLE_ORDER.slice(0, ROLE_ORDER.indexOf(entry.role))) {
            it(`answers 403 to a ${smaller}`, async () => {
              const before = t.snapshotDb(database);
              const res = await call(handler(), method, urlPath, entry, { cookie: cookies[smaller], body: mutating ? {} : undefined });
              expect(res.status).toBe(403);
              expect(((await res.json()) as { code: string }).code).toBe("forbidden");
              expect(t.snapshotDb(database)).toEqual(before);
            });
          }
        }

        it("refuses a request addressed to another host (DNS rebinding) with 421, before anything else", async () => {
          const before = t.snapshotDb(database);
          const cookie = cookies[entry.role === "public" ? "admin" : entry.role];
          for (const host of ["evil.example:3000", "evil.example", "127.0.0.1:3001"]) {
            const res = await call(handler(), method, urlPath, entry, { cookie, origin: `http://${host}`, body: mutating ? (entry.good ?? {}) : undefined, headers: { host } });
            expect(res.status, host).toBe(421);
            expect(((await res.json()) as { code: string }).code).toBe("wrong_host");
          }
          expect(t.snapshotDb(database)).toEqual(before);
        });

        if (mutating) {
          it("does not take a client's X-Forwarded-Host for the dashboard's own (no trusted proxy)", async () => {
            const before = t.snapshotDb(database);
            const res = await call(handler(), method, urlPath, entry, { cookie: cookies.admin, origin: "http://evil.example", body: entry.good ?? {}, headers: { "x-forwarded-host": "evil.example" } });
            expect(res.status).toBe(403);
            expect(((await res.json()) as { code: string }).code).toBe("cross_origin");
            expect(t.snapshotDb(database)).toEqual(before);
          });

          it("refuses another Origin, and a request without one, even from an admin", async () => {
            const before = t.snapshotDb(database);
            for (const origin of ["http://evil.example", null, "null"]) {
              const res = await call(handler(), method, urlPath, entry, { cookie: cookies.admin, origin, body: {} });
              expect(res.status, `Origin ${origin}`).toBe(403);
              expect(((await res.json()) as { code: string }).code).toBe("cross_origin");
            }
            expect(t.snapshotDb(database)).toEqual(before);
          });
          it("refuses a declared 5 MB body before reading it", async () => {
            const before = t.snapshotDb(database);
            const res = await call(handler(), method, urlPath, entry, { cookie: cookies.admin, body: "{}", headers: { "content-length": String(5 * 1024 * 1024) } });
            expect(res.status).toBe(413);
            expect(t.snapshotDb(database)).toEqual(before);
          });
        }

        it("refuses an unknown field anywhere in the body, and an unknown query parameter", async () => {
          const spec = handler().spec!;
          const cookie = cookies[entry.role === "public" ? "admin" : entry.role];
          if (spec.body) expect(entry.good, "a route with a body gives a valid example in the table (good)").toBeDefined();
          if (spec.query) expect(entry.goodQuery, "a route with a query gives a valid example in the table (goodQuery)").toBeDefined();
          const withExtra: { body?: unknown; query?: string; where: string }[] = [];
          if (entry.good) {
            withExtra.push({ body: { ...entry.good, sneaky: 1 }, where: "the top level" });
            for (const [k, v] of Object.entries(entry.good)) {
              if (v && typeof v === "object" && !Array.isArray(v)) withExtra.push({ body: { ...entry.good, [k]: { ...v, sneaky: 1 } }, where: k });
            }
          }
          if (entry.goodQuery !== undefined) withExtra.push({ query: `${entry.goodQuery}&sneaky=1`, body: entry.good, where: "the query" });
          for (const c of withExtra) {
            const before = t.snapshotDb(database);
            const res = await call(handler(), method, urlPath, entry, { cookie, body: c.body, query: c.query });
            const answer = (await res.json()) as { error: string };
            expect(res.status, `an unknown field in ${c.where}: ${JSON.stringify(answer)}`).toBe(400);
            expect(answer.error, c.where).toContain("sneaky");
            expect(t.snapshotDb(database), `${c.where}: database changed`).toEqual(before);
          }
        });
        const scoped = entry.trainee === undefined ? [] : Array.isArray(entry.trainee) ? entry.trainee : [entry.trainee];
        for (const c of scoped) {
          if ("nodeless" in c) {
            it("answers a trainee (it concerns no node) without a word about another node", async () => {
              const res = await call(handler(), method, urlPath, entry, { cookie: cookies.trainee, ...c.nodeless(fixture) });
              expect(res.status, await res.clone().text()).toBeLessThan(300);
              const text = await res.text();
              for (const id of [fixture.other, fixture.otherRun, fixture.otherAttempt]) expect(text).not.toContain(id);
            });
          } else if ("filters" in c) {
            it("shows a trainee nothing of another node (not its id, its run or its check)", async () => {
              const res = await call(handler(), method, urlPath, entry, { cookie: cookies.trainee, ...c.filters(fixture) });
              expect(res.status).toBe(200);
              const text = await res.text();
              for (const id of [fixture.other, fixture.otherRun, `"id":${fixture.otherCheck},`, fixture.otherAttempt]) expect(text).not.toContain(id);
              // ...while the same request by a viewer does show it (so the test can fail).
              const viewer = await call(handler(), method, urlPath, entry, { cookie: cookies.viewer, ...c.filters(fixture) });
              expect(await viewer.text()).toMatch(new RegExp(`${fixture.other}|${fixture.otherRun}`));
            });
          } else {
            it("answers a trainee 403 about another node, storing nothing, and not about their own", async () => {
              const before = t.snapshotDb(database);
              const other = c.other(fixture);
              const res = await call(handler(), method, urlPath, entry, { cookie: cookies.trainee, ...other });
              expect(res.status, JSON.stringify(other)).toBe(403);
              expect(((await res.json()) as { code: string }).code).toBe("forbidden");
              expect(t.snapshotDb(database)).toEqual(before);
              if (c.own) {
                const ownRes = await call(handler(), method, urlPath, entry, { cookie: cookies.trainee, ...c.own(fixture) });
                expect(ownRes.status, `own node: ${JSON.stringify(c.own(fixture))}`).not.toBe(403);
                await ownRes.body?.cancel();
              }
            });
          }
        }
        if (entry.role === "trainee" && urlPath.includes("[") && scoped.length === 0) {
          it("says what a trainee may ask about which node (entry.trainee)", () => {
            expect.fail(`${method} ${urlPath} is open to trainees and names a node, run or check: add trainee cases to its entry`);
          });
        }

        it("answers 400 naming the field to malformed input, storing nothing", async () => {
          const spec = handler().spec;
          const cases = [...(spec?.body ? GENERIC_BAD_BODIES : []), ...(entry.bad ?? [])];
          if (!spec?.body && !spec?.query && !spec?.params) return expect(cases, "no parsed input: nothing malformed to send").toEqual([]);
          // A trainee's malformed input is refused like anyone's; the viewer's cookie keeps node scoping out of it.
          const cookie = cookies[entry.role === "public" ? "admin" : entry.role === "trainee" ? "viewer" : entry.role];
          for (const c of cases) {
            const before = t.snapshotDb(database);
            const res = await call(handler(), method, urlPath, entry, { cookie, body: c.body, query: c.query, params: c.params });
            const answer = (await res.json()) as { code: string; field?: string; error: string };
            expect(res.status, `${c.why}: ${JSON.stringify(answer)}`).toBe(400);
            if (c.field) {
              expect(answer.field, c.why).toBeDefined();
              expect(answer.field!.startsWith(c.field), `${c.why}: field ${answer.field}`).toBe(true);
              expect(answer.error.startsWith(answer.field!), c.why).toBe(true);
            }
            expect(t.snapshotDb(database), `${c.why}: database changed`).toEqual(before);
          }
        });
      });
    }
  });
}
