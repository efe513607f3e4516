// The SSH layer (server/ssh) against real practice nodes: each auth method, sudo, every failure for
// real (asserting the kind AND a message naming host, port and user), pooling, reconnect, upload and facts.
import { createHash } from "node:crypto";
import net from "node:net";
import { utils } from "ssh2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execOn, imageHostKeys, regenerateHostKeys, startNode, stopNode, type PracticeNode } from "../../lab";
import { gatherFacts } from "../../server/facts/gather";
import { pinnedKeyOf } from "../../server/practice/sync";
import { practiceTarget } from "../../server/practice/target";
import {
  closeAllConnections,
  closeConnection,
  describePinned,
  getRemoteHost,
  parsePublicKeyLine,
  poolStats,
  quote,
  SshError,
  type NodeTarget,
  type PinnedHostKey,
} from "../../server/ssh";

const MAIN = 11; // key, password, sudo, facts, pooling
const REKEYED = 12; // gets its host keys regenerated
let node: PracticeNode;
let rekeyed: PracticeNode;
let pinned: PinnedHostKey;

const imageDir = (n: PracticeNode) => n.privateKeyPath.replace(/\/id_ed25519$/, "");

function keyTarget(n: PracticeNode, over: Partial<NodeTarget> = {}): NodeTarget {
  return practiceTarget(n, { nodeId: `it-${n.name}-${Math.random()}`, ...over });
}

function opsTarget(n: PracticeNode, over: Partial<NodeTarget> = {}): NodeTarget {
  return keyTarget(n, {
    username: n.sudoPasswordUser.username,
    auth: { kind: "password", password: n.sudoPasswordUser.password },
    privilege: { kind: "sudo-password", password: n.sudoPasswordUser.password },
    ...over,
  });
}

async function failure(p: Promise<unknown>): Promise<SshError> {
  try {
    await p;
  } catch (error) {
    if (error instanceof SshError) return error;
    throw error;
  }
  throw new Error("expected an SshError, but it succeeded");
}

function expectNamed(e: SshError, n: { host: string; port: number }, user: string) {
  expect(e.message).toContain(`${n.host}:${n.port}`);
  expect(e.message).toContain(user);
  expect(e.details).toMatchObject({ host: n.host, port: n.port, username: user });
}

beforeAll(async () => {
  node = await startNode(MAIN);
  rekeyed = await startNode(REKEYED);
  pinned = pinnedKeyOf(node.hostKeys)!;
});

afterAll(async () => {
  closeAllConnections();
  await stopNode(MAIN);
  await stopNode(REKEYED);
});

describe("authentication and privilege", () => {
  it("logs in with a key and runs as root through passwordless sudo", async () => {
    const host = getRemoteHost(keyTarget(node));
    const me = await host.exec("id -un");
    expect(me).toMatchObject({ code: 0, stdout: "prep\n", signal: null });
    const root = await host.exec("id -u; echo done >&2", { asRoot: true });
    expect(root.stdout).toBe("0\n");
    expect(root.stderr).toBe("done\n"); // sudo's marker is not part of the command's output
  });

  it("logs in with a password and runs as root through sudo with a password fed on stdin", async () => {
    const t = opsTarget(node);
    const host = getRemoteHost(t);
    expect((await host.exec("id -un")).stdout).toBe("ops\n");
    const lines: string[] = [];
    const root = await host.exec(`id -u; cat; echo 'secret is ${node.sudoPasswordUser.password}'`, { asRoot: true, stdin: "from stdin\n", onStdout: (l) => lines.push(l) });
    expect(root.code).toBe(0);
    // The password never reaches the command (stdin holds only what we asked), and echoes are redacted.
    expect(root.stdout).toBe("0\nfrom stdin\nsecret is [redacted]\n");
    expect(lines).toEqual(["0", "from stdin", "secret is [redacted]"]);
    // Never on a command line: no process on the node saw it in its argv.
    const ps = await getRemoteHost(keyTarget(node)).exec("ps -eo args");
    expect(ps.stdout).not.toContain(node.sudoPasswordUser.password);
  });

  it("passes hostile values through quote() unchanged, as root too", async () => {
    const value = `it's "$(touch /tmp/pwned)" \`id\` ; rm -rf / \n second line`;
    const host = getRemoteHost(opsTarget(node));
    const r = await host.exec(`printf %s ${quote(value)}`, { asRoot: true });
    expect(r.stdout).toBe(value);
    expect((await host.exec("test -e /tmp/pwned; echo $?")).stdout).toBe("1\n");
  });

  it("rejects a wrong password: auth-rejected naming the method, host, port and user", async () => {
    const e = await failure(getRemoteHost(opsTarget(node, { auth: { kind: "password", password: "wrong-password" } })).exec("true"));
    expect(e.kind).toBe("auth-rejected");
    expect(e.message).toContain("refused the password for user ops");
    expectNamed(e, node, "ops");
  });

  it("rejects a key the host does not know", async () => {
    const stranger = utils.generateKeyPairSync("ed25519").private;
    const e = await failure(getRemoteHost(keyTarget(node, { auth: { kind: "key", privateKey: stranger } })).exec("true"));
    expect(e.kind).toBe("auth-rejected");
    expect(e.message).toContain("refused the key for user prep");
    expect(e.details.serverMethods).toContain("publickey");
    expectNamed(e, node, "prep");
  });

  it("says when a key's passphrase is missing or wrong, before connecting", async () => {
    const encrypted = utils.generateKeyPairSync("ed25519", { passphrase: "right-one", cipher: "aes256-ctr", rounds: 4 }).private;
    const missing = await failure(getRemoteHost(keyTarget(node, { auth: { kind: "key", privateKey: encrypted } })).exec("true"));
    expect(missing.kind).toBe("key-unreadable");
    expect(missing.message).toContain("enter its passphrase");
    const wrong = await failure(getRemoteHost(keyTarget(node, { auth: { kind: "key", privateKey: encrypted, passphrase: "nope" } })).exec("true"));
    expect(wrong.kind).toBe("key-unreadable");
    expect(wrong.message).toContain("passphrase");
    expectNamed(wrong, node, "prep");
  });

  it("tells a wrong sudo password apart from a wrong login password", async () => {
    const t = opsTarget(node, { privilege: { kind: "sudo-password", password: "not-the-sudo-password" } });
    const host = getRemoteHost(t);
    expect((await host.exec("id -un")).stdout).toBe("ops\n"); // login works
    const e = await failure(host.exec("id -u", { asRoot: true }));
    expect(e.kind).toBe("sudo-password-wrong");
    expect(e.message).toContain("rejected the sudo password of user ops");
    expectNamed(e, node, "ops");
    expect(e.message).not.toContain("not-the-sudo-password");
  });

  it("says sudo needs a password when the node is set to passwordless sudo but isn't", async () => {
    const e = await failure(getRemoteHost(opsTarget(node, { privilege: { kind: "sudo-nopasswd" } })).exec("id -u", { asRoot: true }));
    expect(e.kind).toBe("sudo-password-required");
    expectNamed(e, node, "ops");
  });
});

describe("sudo passwords that look like shell", () => {
  // ops's real password is set to each of these in turn (through prep's passwordless sudo), then used
  // as the node's sudo password: it must work as a literal password and run nothing, on an exec
  // channel and in a kept root shell (which reads its commands from stdin).
  // Two passwords carry every kind of character a shell or sudo's prompt could misread (each one costs
  // a password change and a sudo authentication on the emulated node).
  const HOSTILE = [`it's "q" $(touch /tmp/np-pwned);\`touch /tmp/np-pwned\` back\\slash\\ %s%p grüße-密码`, " lead and trail  "];
  const setOpsPassword = async (password: string) => {
    const r = await execOn(node, `printf '%s\\n' ${quote(`ops:${password}`)} | sudo -n chpasswd`);
    if (r.code !== 0) throw new Error(`chpasswd: ${r.stderr}`);
  };
  const opsWith = (password: string) =>
    keyTarget(node, { username: "ops", privilege: { kind: "sudo-password", password }, nodeId: `it-ops-${Math.random()}` });
  afterAll(() => setOpsPassword(node.sudoPasswordUser.password));

  it("work as literal passwords and run nothing, on an exec channel and in a kept root shell", async () => {
    for (const password of HOSTILE) {
      await setOpsPassword(password);
      const host = getRemoteHost(opsWith(password));
      const once = await host.exec("id -u; cat", { asRoot: true, stdin: "the command's input\n" });
      expect(once, JSON.stringify(password)).toMatchObject({ code: 0, stdout: "0\nthe command's input\n" });
      expect((await host.exec("id -u", { asRoot: true, keepShell: true })).stdout, JSON.stringify(password)).toBe("0\n");
      expect((await execOn(node, "test -e /tmp/np-pwned; echo $?")).stdout, `${JSON.stringify(password)} ran something`).toBe("1\n");
    }
  });

  it("a stored password holding a newline is never sent: its second line would run as root in a kept shell", async () => {
    await setOpsPassword(node.sudoPasswordUser.password);
    const host = getRemoteHost(opsWith(`${node.sudoPasswordUser.password}\ntouch /tmp/np-pwned`));
    const e = await failure(host.exec("id -u", { asRoot: true, keepShell: true }));
    expect(e.kind).toBe("sudo-password-wrong");
    expect(e.message).toContain("contains a control character");
    expect((await execOn(node, "test -e /tmp/np-pwned; echo $?")).stdout).toBe("1\n");
  });

  it("a wrong password is one failed attempt on the host, not three", async () => {
    await setOpsPassword(node.sudoPasswordUser.password);
    const e = await failure(getRemoteHost(opsWith("not-the-password")).exec("id -u", { asRoot: true }));
    expect(e.kind).toBe("sudo-password-wrong");
    // sudo's own account of it, in the node's journal: "ops : 1 incorrect password attempt ; ... COMMAND=...".
    const last = await execOn(node, "sudo -n journalctl -q --no-pager -t sudo -n 50 -o cat | grep 'incorrect password attempt' | tail -1");
    expect(last.stdout).toMatch(/^ +ops : 1 incorrect password attempt ; /);
  });
});

describe("host keys", () => {
  it("every practice node is a machine of its own: its own host keys (the ones the lab pinned), machine-id and hostname", async () => {
    const imageEd = parsePublicKeyLine(imageHostKeys(imageDir(node)).find((l) => l.startsWith("ssh-ed25519"))!).keyBase64;
    const own = async (n: PracticeNode) => {
      const r = await getRemoteHost(keyTarget(n)).exec("cat /etc/ssh/ssh_host_ed25519_key.pub /etc/machine-id; hostname; ls /etc/ssh/ | grep -c '^ssh_host_.*_key$'");
      const [key, machineId, hostname, keys] = r.stdout.trim().split("\n");
      return { key: parsePublicKeyLine(key).keyBase64, machineId, hostname, keys };
    };
    const [a, b] = [await own(node), await own(rekeyed)];
    // What each node presents is what the lab recorded (and the dashboard pins), and no two agree.
    expect(a.key).toBe(pinned.keyBase64);
    expect(b.key).toBe(pinnedKeyOf(rekeyed.hostKeys)!.keyBase64);
    expect(new Set([a.key, b.key, imageEd]).size).toBe(3);
    expect([a.machineId, b.machineId]).toEqual([node.machineId, rekeyed.machineId]);
    expect(a.machineId).not.toBe(b.machineId);
    expect([a.hostname, b.hostname]).toEqual([node.name, rekeyed.name]);
    expect([a.keys, b.keys]).toEqual(["3", "3"]);
  });

  it("on first contact refuses to run anything and shows the key as ssh-keygen -lf would", async () => {
    const e = await failure(getRemoteHost(keyTarget(node, { hostKey: null })).exec("touch /tmp/should-not-exist"));
    expect(e.kind).toBe("host-key-unknown");
    expectNamed(e, node, "prep");
    // The node's own view of its key, as an operator would check on its console.
    const own = await getRemoteHost(keyTarget(node)).exec("ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub");
    const [bits, fp] = own.stdout.trim().split(" ");
    expect(e.details.offered?.keygen).toBe(`${bits} ${fp} no comment (ED25519)`);
    expect(e.message).toContain(fp);
    expect((await getRemoteHost(keyTarget(node)).exec("test -e /tmp/should-not-exist; echo $?")).stdout).toBe("1\n");
  });

  it("stops everything when the host key changed, with the old and new fingerprints", async () => {
    const t = keyTarget(rekeyed);
    const host = getRemoteHost(t);
    expect((await host.exec("true")).code).toBe(0);
    await regenerateHostKeys(rekeyed);
    // sshd re-executes on reload; wait until it answers again (the lab's own client trusts any key).
    await expect.poll(() => execOn(rekeyed, "true", 5000).then(() => true, () => false), { timeout: 60_000, interval: 500 }).toBe(true);
    closeConnection(t.nodeId); // a new handshake sees the new key
    const e = await failure(host.exec("id"));
    expect(`${e.kind}: ${e.message}`).toMatch(/^host-key-changed: /);
    expectNamed(e, rekeyed, "prep");
    const now = (await execOn(rekeyed, "ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub")).stdout.split(" ")[1];
    expect(e.details.offered?.fingerprint).toBe(now);
    expect(e.details.expected?.fingerprint).toBe(describePinned(pinnedKeyOf(rekeyed.hostKeys)!).fingerprint);
    expect(e.details.expected?.fingerprint).not.toBe(now);
    expect(e.message).toContain(now);
    expect(e.message).toContain(e.details.expected!.fingerprint);
    expect(e.message).toContain("man-in-the-middle");
  });
});

describe("network failures", () => {
  it("a closed port is refused, naming host, port and user", async () => {
    const closed = await new Promise<number>((resolve) => {
      const srv = net.createServer().listen(0, "127.0.0.1", () => {
        const port = (srv.address() as net.AddressInfo).port;
        srv.close(() => resolve(port));
      });
    });
    const e = await failure(getRemoteHost(keyTarget(node, { port: closed })).exec("true"));
    expect(e.kind).toBe("refused");
    expectNamed(e, { host: "127.0.0.1", port: closed }, "prep");
  });

  it("a name that does not resolve is a dns error", async () => {
    const e = await failure(getRemoteHost(keyTarget(node, { address: "no-such-host.invalid" })).exec("true"));
    expect(e.kind).toBe("dns");
    expect(e.message).toContain("no-such-host.invalid");
    expect(e.message).toContain("prep");
  });

  it("a server that never speaks SSH times out in the handshake", async () => {
    const silent = net.createServer(() => undefined).listen(0, "127.0.0.1");
    await new Promise((r) => silent.once("listening", r));
    try {
      const { configurePool } = await import("../../server/ssh");
      configurePool({ handshakeTimeoutMs: 1500 });
      const port = (silent.address() as net.AddressInfo).port;
      const e = await failure(getRemoteHost(keyTarget(node, { port })).exec("true"));
      expect(e.kind).toBe("timeout");
      expectNamed(e, { host: "127.0.0.1", port }, "prep");
    } finally {
      const { configurePool } = await import("../../server/ssh");
      configurePool({ handshakeTimeoutMs: 30_000 });
      silent.close();
    }
  });
});

describe("commands and the connection", () => {
  it("shares one connection between parallel commands", async () => {
    closeAllConnections(); // earlier tests' connections (other node ids) are gone
    const t = keyTarget(node);
    const host = getRemoteHost(t);
    const before = poolStats().opened;
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => host.exec(`sleep 0.3; echo ${i}`)));
    expect(results.map((r) => r.stdout.trim())).toEqual(Array.from({ length: 12 }, (_, i) => String(i)));
    expect(poolStats().opened - before).toBe(1);
    // sshd's view: one established session from us for this user, once the closed ones have gone.
    const sessions = () => host.exec("pgrep -c -u prep -x sshd || true").then((r) => r.stdout.trim());
    await expect.poll(sessions, { timeout: 15_000, interval: 200 }).toBe("1");
  });

  it("streams lines as they come and reports exit codes and not-found commands", async () => {
    const host = getRemoteHost(keyTarget(node));
    const out: string[] = [];
    const err: string[] = [];
    const r = await host.exec("printf 'a\\nb'; echo e >&2; exit 3", { onStdout: (l) => out.push(l), onStderr: (l) => err.push(l) });
    expect(r.code).toBe(3);
    expect(out).toEqual(["a", "b"]);
    expect(err).toEqual(["e"]);
    const nf = await host.exec("no-such-command-here --version");
    expect(nf.code).toBe(127);
    const { programNotFound } = await import("../../server/ssh");
    expect(programNotFound(nf.stderr)).toBe("no-such-command-here");
  });

  it("times out a command and stops it on the host", async () => {
    const host = getRemoteHost(keyTarget(node));
    const e = await failure(host.exec("sleep 37; echo late", { timeoutMs: 1000 }));
    expect(e.kind).toBe("timeout");
    expectNamed(e, node, "prep");
    await expect.poll(() => host.exec("pgrep -fc '[s]leep 37' || true").then((r) => r.stdout.trim()), { timeout: 10_000, interval: 200 }).toBe("0");
  });

  it("cancels through an AbortSignal", async () => {
    const host = getRemoteHost(keyTarget(node));
    const ac = new AbortController();
    // Abort once the command runs on the host (not after a guessed time).
    const e = await failure(host.exec("echo started; sleep 29", { signal: ac.signal, asRoot: true, onStdout: (l) => l === "started" && ac.abort() }));
    expect(e.kind).toBe("aborted");
    expect((await host.exec("pgrep -fc '[s]leep 29' || true")).stdout.trim()).toBe("0");
    expect((await host.exec("echo still usable")).stdout).toBe("still usable\n");
  });

  it("reports a dropped connection and reconnects on the next use", async () => {
    const t = keyTarget(node);
    const host = getRemoteHost(t);
    expect((await host.exec("true")).code).toBe(0);
    const opened = poolStats().opened;
    // Kill our own sshd session process on the node: the TCP connection dies mid-command.
    const e = await failure(host.exec("sleep 1; sudo -n kill -9 $PPID; sleep 5", { timeoutMs: 30_000 }));
    expect(e.kind).toBe("connection-lost");
    expectNamed(e, node, "prep");
    expect((await host.exec("echo back")).stdout).toBe("back\n");
    expect(poolStats().opened).toBe(opened + 1);
  });

  it("uploads over SFTP with progress and the mode asked for", async () => {
    const host = getRemoteHost(keyTarget(node));
    const data = Buffer.alloc(300_000, 7);
    const progress: number[] = [];
    await host.upload(data, "/tmp/upload.bin", { mode: 0o640, onProgress: (sent) => progress.push(sent) });
    const r = await host.exec("sha256sum /tmp/upload.bin; stat -c %a /tmp/upload.bin");
    expect(r.stdout).toBe(`${createHash("sha256").update(data).digest("hex")}  /tmp/upload.bin\n640\n`);
    expect(progress.at(-1)).toBe(data.length);
    expect(progress.length).toBeGreaterThan(2);
  });
});

describe("a kept shell (keepShell: the path facts and probes take)", () => {
  const kept = { keepShell: true } as const;

  it("reuses one shell: exit codes, stdout and stderr apart, no trailing newline, exit and cd stay inside", async () => {
    const host = getRemoteHost(keyTarget(node));
    const out: string[] = [];
    const err: string[] = [];
    const r = await host.exec("cd /tmp; printf 'a\\nb'; echo e >&2; x=1; exit 3", { ...kept, onStdout: (l) => out.push(l), onStderr: (l) => err.push(l) });
    expect(r).toMatchObject({ code: 3, stdout: "a\nb", stderr: "e\n" });
    expect([out, err]).toEqual([["a", "b"], ["e"]]);
    // The next command runs in the same shell ($$ is the shell's pid in a subshell), in its own state.
    const first = await host.exec("echo $$; pwd; echo \"x=${x-unset}\"", kept);
    const second = await host.exec("echo $$", kept);
    const [pid, cwd, x] = first.stdout.trim().split("\n");
    expect(second.stdout.trim()).toBe(pid);
    expect(cwd).not.toBe("/tmp");
    expect(x).toBe("x=unset");
    // A command cannot read the commands that follow it: its stdin is /dev/null.
    expect((await host.exec("cat; echo after", kept)).stdout).toBe("after\n");
    expect((await host.exec("no-such-command-here", kept)).code).toBe(127);
  });

  it("carries output bigger than a channel window and hostile text unchanged", async () => {
    const host = getRemoteHost(keyTarget(node));
    const big = await host.exec("i=0; while [ $i -lt 20000 ]; do echo \"line $i\"; i=$((i+1)); done", kept);
    const lines = big.stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(20000);
    expect(lines.at(-1)).toBe("line 19999");
    const hostile = `it's "$(id)" \`id\` ; rm -rf / \\ \x1e`;
    expect((await host.exec(`printf '%s' ${quote(hostile)}`, kept)).stdout).toBe(hostile);
  });

  it("runs as root through sudo once per shell, with a password fed on stdin too", async () => {
    const host = getRemoteHost(keyTarget(node));
    const a = await host.exec("id -u; echo $$", { ...kept, asRoot: true });
    const b = await host.exec("id -u; echo $$", { ...kept, asRoot: true });
    expect(a.stdout.split("\n")[0]).toBe("0");
    expect(b.stdout).toBe(a.stdout);
    // The user's shell and root's are different shells.
    expect((await host.exec("id -u", kept)).stdout).toBe("1000\n");
    const ops = getRemoteHost(opsTarget(node));
    expect((await ops.exec("id -u", { ...kept, asRoot: true })).stdout).toBe("0\n");
    const wrong = await failure(getRemoteHost(opsTarget(node, { privilege: { kind: "sudo-password", password: "not-it" } })).exec("id -u", { ...kept, asRoot: true }));
    expect(wrong.kind).toBe("sudo-password-wrong");
    expectNamed(wrong, node, node.sudoPasswordUser.username);
  });

  it("a timeout kills the command on the host and ends the shell; the next command gets a new one", async () => {
    const host = getRemoteHost(keyTarget(node));
    const pid = (await host.exec("echo $$", kept)).stdout.trim();
    const e = await failure(host.exec("sleep 41; echo late", { ...kept, timeoutMs: 1000 }));
    expect(e.kind).toBe("timeout");
    expectNamed(e, node, "prep");
    await expect.poll(() => host.exec("pgrep -fc '[s]leep 41' || true").then((r) => r.stdout.trim()), { timeout: 10_000, interval: 200 }).toBe("0");
    const next = (await host.exec("echo $$", kept)).stdout.trim();
    expect(next).toMatch(/^\d+$/);
    expect(next).not.toBe(pid);
  });

  it("a dropped connection fails the command in flight as connection-lost", async () => {
    const host = getRemoteHost(keyTarget(node));
    const e = await failure(host.exec("sleep 1; sudo -n kill -9 $PPID; sleep 5", { ...kept, timeoutMs: 30_000 }));
    expect(e.kind).toBe("connection-lost");
    expectNamed(e, node, "prep");
    expect((await host.exec("echo back", kept)).stdout).toBe("back\n");
  });
});

describe("a jump host (ssh -J)", () => {
  // The practice nodes cannot reach each other (restrict=on), so the node is its own bastion: the
  // jump connection forwards to 127.0.0.1:22 as the node sees it, and the target's SSH runs inside.
  const viaJump = (over: Partial<NodeTarget> = {}) => keyTarget(node, { nodeId: `it-behind-${Math.random()}`, address: "127.0.0.1", port: 22, jump: keyTarget(node), ...over });

  it("runs commands through the jump host's connection, as root too, with the target's own host key", async () => {
    const host = getRemoteHost(viaJump());
    // sshd's view of the inner session: it came from 127.0.0.1 on the node itself, not from the host.
    const r = await host.exec('echo "$SSH_CONNECTION"', { keepShell: true });
    expect(r.stdout).toMatch(/^127\.0\.0\.1 \d+ 127\.0\.0\.1 22\n$/);
    expect((await host.exec("id -u", { asRoot: true })).stdout).toBe("0\n");
  });

  it("a target the jump host cannot reach is unreachable, naming the jump host and the target", async () => {
    const e = await failure(getRemoteHost(viaJump({ port: 1 })).exec("true"));
    expect(e.kind).toBe("unreachable");
    expect(e.message).toContain("127.0.0.1:1");
    expect(e.message).toMatch(/through its jump host/);
  });

  it("a jump host whose key is not trusted stops the connection without offering its key as the target's", async () => {
    const e = await failure(getRemoteHost(viaJump({ jump: keyTarget(node, { nodeId: `it-jump-${Math.random()}`, hostKey: null }) })).exec("true"));
    expect(e.kind).toBe("unreachable");
    expect(e.message).toMatch(/host key of jump host .* is not trusted yet/);
    expect(e.details.offered).toBeUndefined();
  });

  it("the target's own pinned key is still checked behind the jump host", async () => {
    const wrong = { ...pinned, keyBase64: utils.generateKeyPairSync("ed25519").public.split(" ")[1] };
    const e = await failure(getRemoteHost(viaJump({ hostKey: wrong })).exec("true"));
    expect(e.kind).toBe("host-key-changed");
  });
});

describe("facts", () => {
  it("match what the node itself reports", async () => {
    const host = getRemoteHost(keyTarget(node));
    const facts = await gatherFacts(host);
    const own = await execOn(node, "hostname; uname -r; uname -m; cat /etc/machine-id; . /etc/os-release; echo $ID $VERSION_ID; stat -fc %T /sys/fs/cgroup; getconf GNU_LIBC_VERSION; swapon --noheadings | wc -l");
    const [hostname, kernel, machine, machineId, os, cgroupFs, libc, swaps] = own.stdout.trim().split("\n");
    expect(facts.hostname).toBe(hostname);
    expect(facts.kernel).toBe(kernel);
    expect(facts.machine).toBe(machine);
    expect(facts.arch).toBe("amd64");
    expect(facts.machineId).toBe(machineId);
    expect(`${facts.os.id} ${facts.os.versionId}`).toBe(os);
    expect(facts.cgroup).toBe(cgroupFs === "cgroup2fs" ? "v2" : "v1");
    expect(`glibc ${facts.libc.version}`).toBe(libc);
    expect(facts.swapActive).toBe(Number(swaps) > 0);
    expect(facts.init).toBe("systemd");
    expect(facts.containerd.present).toBe(false);
    expect(facts.kubelet.present).toBe(false);
  });
});
