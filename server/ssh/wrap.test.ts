import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SshError } from "./types";
import { encodePasswordLine, wrapCommand } from "./wrap";

// The sudo-with-a-password wrapper, run for real by the local /bin/sh (and bash, RHEL's /bin/sh) with a
// stand-in `sudo` on PATH that does what matters here as sudo does: asks askpass with the prompt, takes
// ONE line of its output as the password, closes fds 3 and up, and runs the command with its stdin.
// The practice-node test (test/integration/ssh.int.test.ts) runs the same against the real sudo.

let dir: string;
const HOSTILE = ["$(touch PWNED)", "it's \"quoted\"", "a;touch PWNED;", "back\\slash\\n", "with spaces  ", "grüße-пароль-密码", "%s%n%p", "-n", "`touch PWNED`", "NPEOF"];

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "nodeprep-wrap-"));
  fs.mkdirSync(path.join(dir, "bin"));
  fs.writeFileSync(
    path.join(dir, "bin", "sudo"),
    [
      "#!/bin/sh",
      'while [ $# -gt 0 ]; do case $1 in -A|-k) shift;; -p) prompt=$2; shift 2;; --) shift; break;; *) echo "unexpected sudo option $1" >&2; exit 2;; esac; done',
      '"$SUDO_ASKPASS" "$prompt" | { IFS= read -r l; printf %s "$l"; } > "$SEEN"',
      'exec 3<&- 4<&- 5<&-; exec "$@"',
    ].join("\n"),
    { mode: 0o755 },
  );
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function runWrapped(password: string, shell: "sh" | "bash", stdinAfter: string) {
  const target = { username: "ops", address: "10.0.0.5", port: 22, privilege: { kind: "sudo-password" as const, password } };
  const command = "if [ -e /proc/$$/fd/3 ]; then echo fd3-open; else echo fd3-closed; fi; cat";
  const wrapped = wrapCommand(target, command, true);
  // The command line (which `ps` shows to everyone) is the same whatever the password.
  const other = wrapCommand({ ...target, privilege: { kind: "sudo-password", password: "something else" } }, command, true);
  expect(wrapped.line.replace(wrapped.marker, "M")).toBe(other.line.replace(other.marker, "M"));
  const seen = path.join(dir, "seen");
  fs.rmSync(seen, { force: true });
  const line = shell === "bash" ? wrapped.line.replace(/^\/bin\/sh -c/, "bash -c") : wrapped.line;
  const r = spawnSync("/bin/sh", ["-c", line], {
    cwd: dir,
    input: `${wrapped.sudo!.passwordLine}\n${stdinAfter}`,
    // HOME: bash reads ~/.bashrc when its stdin is a socket (Node's pipes are), as under sshd.
    env: { ...process.env, PATH: `${path.join(dir, "bin")}:${process.env.PATH}`, SEEN: seen, HOME: dir },
    encoding: "utf8",
  });
  return { ...r, seen: fs.readFileSync(seen, "utf8"), marker: wrapped.marker };
}

describe("sudo with a password (the wrapper's shell, askpass and the command's stdin)", () => {
  for (const shell of ["sh", "bash"] as const) {
    it(`hands sudo the exact password and the command only its own input (${shell})`, () => {
      for (const password of HOSTILE) {
        const r = runWrapped(password, shell, "the command's input\n");
        expect(r.seen, `${shell}: ${JSON.stringify(password)}`).toBe(password);
        expect(r.stderr).toMatch(new RegExp(`^${r.marker} \\d+\n$`));
        expect(r.status).toBe(0);
        const [fds, input, ...rest] = r.stdout.split("\n");
        expect(fds, "the password's here-document is not the command's").toBe("fd3-closed");
        expect(input).toBe("the command's input");
        expect(rest).toEqual([""]);
        expect(fs.existsSync(path.join(dir, "PWNED")), `${JSON.stringify(password)} ran something`).toBe(false);
      }
    });
  }

  it("encodes the password as one line of octal escapes", () => {
    expect(encodePasswordLine("ops")).toBe("\\157\\160\\163");
    expect(encodePasswordLine("é\n")).toBe("\\303\\251\\012");
    for (const p of HOSTILE) expect(encodePasswordLine(p)).toMatch(/^(\\[0-7]{3})+$/);
  });

  it("refuses to send a stored password with a control character: its tail would be the next line", () => {
    for (const password of ["pw\nid > /tmp/x", "pw\rx", "pw\u0000", "pw\u001b[2J"]) {
      const target = { username: "ops", address: "10.0.0.5", port: 22, privilege: { kind: "sudo-password" as const, password } };
      expect(() => wrapCommand(target, "id", true)).toThrow(SshError);
      expect(() => wrapCommand(target, "id", true)).toThrow("contains a control character");
    }
  });
});
