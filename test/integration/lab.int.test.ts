// The practice nodes are real Debian hosts: reached with ssh2, their own kernel, systemd and sudo.
import { Client } from "ssh2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execOn, resetNode, startNode, stopNode, type PracticeNode } from "../../lab";

const N = 1;
let node: PracticeNode;

function ssh2Exec(n: PracticeNode, command: string): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve, reject) => {
    const conn = new Client();
    conn
      .on("ready", () =>
        conn.exec(command, (err, stream) => {
          if (err) return reject(err);
          let stdout = "";
          stream.on("data", (d: Buffer) => (stdout += d));
          stream.stderr.resume();
          stream.on("close", (code: number | null) => {
            conn.end();
            resolve({ code, stdout });
          });
        }),
      )
      .on("error", reject)
      .connect({ host: n.host, port: n.port, username: n.user, privateKey: n.privateKey, hostVerifier: () => true });
  });
}

beforeAll(async () => {
  node = await startNode(N);
});
afterAll(async () => {
  await stopNode(N);
});

describe("a practice node", () => {
  it("runs Debian's own kernel, not the host's", async () => {
    const r = await ssh2Exec(node, "uname -r; cat /etc/os-release");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\d+\.\d+\.\d+-\d+-amd64\n/);
    expect(r.stdout).toContain('ID=debian');
    expect(r.stdout).toContain('VERSION_CODENAME=bookworm');
  });

  it("has sshd active under systemd and passwordless sudo for the key user", async () => {
    expect((await ssh2Exec(node, "systemctl is-active ssh")).stdout.trim()).toBe("active");
    expect((await ssh2Exec(node, "sudo -n true")).code).toBe(0);
    expect((await ssh2Exec(node, "sudo -n id -u")).stdout.trim()).toBe("0");
  });

  it("starts unprepared: br_netfilter is a loadable module that is not loaded yet", async () => {
    const lsmod = await ssh2Exec(node, "lsmod");
    expect(lsmod.code).toBe(0);
    expect(lsmod.stdout).toMatch(/^Module\s+Size\s+Used by/);
    expect(lsmod.stdout).not.toMatch(/^br_netfilter\s/m);
    const modinfo = await ssh2Exec(node, "/sbin/modinfo -n br_netfilter");
    expect(modinfo.stdout).toMatch(/br_netfilter\.ko/);
  });

  it("has the guest clock set from the host after a snapshot restore", async () => {
    const r = await ssh2Exec(node, "date +%s");
    expect(Math.abs(Number(r.stdout.trim()) - Date.now() / 1000)).toBeLessThan(120);
  });

  it("forgets everything on reset", async () => {
    await execOn(node, "sudo -n sh -c 'echo before-reset > /etc/nodeprep-marker'");
    expect((await ssh2Exec(node, "cat /etc/nodeprep-marker")).stdout).toBe("before-reset\n");
    node = await resetNode(N);
    const after = await ssh2Exec(node, "test -e /etc/nodeprep-marker; echo $?");
    expect(after.stdout.trim()).toBe("1");
  });
});
