import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { planArtifactAction } from "../artifacts";
import { renderAction } from "./actions";
import { rootScript, seedLines, typedScript } from "./seed-commands";
import type { Action } from "./types";

const write = (p: string, content: string, mode = 0o644): Action => ({ kind: "write-file", path: p, mode, content, reason: "r" });

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "np-seed-"));
  vi.stubEnv("NODEPREP_LOCAL_RELEASES", undefined);
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
  vi.unstubAllEnvs();
});

// `sudo` as a person types it, for a shell that already is the user who may write `dir`.
const asPerson = (script: string) => execFileSync("bash", ["-e", "-c", `sudo() { "$@"; }\n${script}`], { encoding: "utf8" });
const asRoot = (script: string) => execFileSync("sh", ["-c", script], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });

describe("a file, as a person types it and as the engine runs it", () => {
  it("the seed's here-document, written beside the file and renamed over it, in both forms", () => {
    const action = write("/etc/modules-load.d/k8s.conf", "overlay\nbr_netfilter\n");
    expect(typedScript(seedLines(action))).toBe(
      [
        "sudo mkdir -p /etc/modules-load.d",
        "sudo tee /etc/modules-load.d/.k8s.conf.nodeprep > /dev/null <<'EOF'",
        "overlay",
        "br_netfilter",
        "EOF",
        "sudo chmod 644 /etc/modules-load.d/.k8s.conf.nodeprep",
        "sudo mv -f /etc/modules-load.d/.k8s.conf.nodeprep /etc/modules-load.d/k8s.conf",
      ].join("\n"),
    );
    // The log's (and the engine's) form: the same commands without sudo, chained so a failure stops them.
    expect(rootScript(seedLines(action))).toBe(
      [
        "mkdir -p /etc/modules-load.d &&",
        "tee /etc/modules-load.d/.k8s.conf.nodeprep > /dev/null <<'EOF' &&",
        "overlay",
        "br_netfilter",
        "EOF",
        "chmod 644 /etc/modules-load.d/.k8s.conf.nodeprep &&",
        "mv -f /etc/modules-load.d/.k8s.conf.nodeprep /etc/modules-load.d/k8s.conf",
      ].join("\n"),
    );
    const shown = renderAction(action, {});
    expect(shown.command).toBe(rootScript(seedLines(action)));
    expect(shown.script).toBe(typedScript(seedLines(action)));
  });

  it("both forms really write the exact bytes and mode, whatever the content holds", () => {
    const contents = ["a = 'quoted' $HOME `x`\n", "EOF\nEOF1\nend\n", "no trailing newline", "\n", "tab\tand \\ backslash\n"];
    contents.forEach((content, i) => {
      for (const [form, runIt] of [
        ["typed", (a: Action) => asPerson(typedScript(seedLines(a)))],
        ["root", (a: Action) => asRoot(rootScript(seedLines(a)))],
      ] as const) {
        const p = path.join(dir, `${form}-${i}`, "k8s.conf");
        runIt(write(p, content, 0o600));
        expect(fs.readFileSync(p, "utf8"), `${form} ${JSON.stringify(content)}`).toBe(content);
        expect(fs.statSync(p).mode & 0o777).toBe(0o600);
        expect(fs.readdirSync(path.dirname(p))).toEqual(["k8s.conf"]);
      }
    });
  });

  it("a here-document delimiter the content does not hold; a printf pipe when it cannot be one", () => {
    expect(typedScript(seedLines(write("/etc/x.conf", "EOF\n")))).toContain("<<'EOF1'\nEOF\nEOF1");
    expect(typedScript(seedLines(write("/etc/x.conf", "a=1")))).toContain("printf '%s' a=1 | sudo tee /etc/.x.conf.nodeprep > /dev/null");
  });

  it("the root form stops at the first failure", () => {
    const blocked = path.join(dir, "file-not-dir");
    fs.writeFileSync(blocked, "");
    expect(() => asRoot(rootScript(seedLines(write(path.join(blocked, "sub", "k8s.conf"), "x\n"))))).toThrow();
    expect(fs.readdirSync(dir)).toEqual(["file-not-dir"]);
  });

  it("commands and units: what runs, with sudo for a person", () => {
    const restart: Action = { kind: "run-command", argv: ["systemctl", "restart", "containerd"], reason: "r" };
    expect(typedScript(seedLines(restart))).toBe("sudo systemctl restart containerd");
    expect(rootScript(seedLines(restart))).toBe("systemctl restart containerd");
    expect(typedScript(seedLines({ kind: "enable-unit", unit: "containerd", now: true, reason: "r" }))).toBe("sudo systemctl enable --now containerd");
  });
});

describe("release files, in the seed's words", () => {
  const extract = (component: "containerd" | "cni-plugins", dir: string) => ({ ...planArtifactAction(component, null, "amd64", { kind: "extract", dir }), reason: "r" });
  const runc = () => ({ ...planArtifactAction("runc", null, "amd64", { kind: "file", path: "/usr/local/sbin/runc", mode: "755" }), reason: "r" });

  it("downloaded from upstream: curl -fsSLo, sha256sum -c, tar Cxzvf / install -m 755, then the download removed", () => {
    const upstream = { delivery: { kind: "upstream" as const } };
    const c = extract("containerd", "/usr/local");
    expect(typedScript(seedLines(c, upstream))).toBe(
      [
        "curl -fsSLo /var/tmp/containerd-2.2.1-linux-amd64.tar.gz https://github.com/containerd/containerd/releases/download/v2.2.1/containerd-2.2.1-linux-amd64.tar.gz",
        `echo '${c.sha256}  /var/tmp/containerd-2.2.1-linux-amd64.tar.gz' | sha256sum -c`,
        "sudo tar Cxzvf /usr/local /var/tmp/containerd-2.2.1-linux-amd64.tar.gz",
        "rm -f /var/tmp/containerd-2.2.1-linux-amd64.tar.gz",
      ].join("\n"),
    );
    expect(typedScript(seedLines(runc(), upstream))).toMatch(/\nsudo install -m 755 \/var\/tmp\/runc\.amd64 \/usr\/local\/sbin\/runc\n/);
    expect(typedScript(seedLines(extract("cni-plugins", "/opt/cni/bin"), upstream))).toMatch(
      /\nsudo mkdir -p \/opt\/cni\/bin\nsudo tar Cxzvf \/opt\/cni\/bin \/var\/tmp\/cni-plugins-linux-amd64-v1\.8\.0\.tgz\n/,
    );
  });

  it("from a mirror: the mirror's URL", () => {
    const lines = typedScript(seedLines(runc(), { delivery: { kind: "mirror", url: "http://mirror.example/k8s/{file}" } }));
    expect(lines.split("\n")[0]).toBe("curl -fsSLo /var/tmp/runc.amd64 http://mirror.example/k8s/runc.amd64");
  });

  it("a local build asked to download: the plan says why it cannot, as Apply will", () => {
    vi.stubEnv("NODEPREP_LOCAL_RELEASES", path.join(import.meta.dirname, "fixtures", "runtime", "local-releases"));
    const local = { ...planArtifactAction("runc", "1.1.5", "amd64", { kind: "file", path: "/usr/local/sbin/runc", mode: "755" }, { source: "local" }), reason: "r" };
    expect(typedScript(seedLines(local, { delivery: { kind: "upstream" } }))).toBe(
      "# runc.amd64: runc.amd64 is a local release with no upstream URL: deliver it from the dashboard's cache instead",
    );
  });

  it("uploaded from the dashboard's cache (the default): the upload named, then the same checks and install as commands", () => {
    const c = extract("containerd", "/usr/local");
    const typed = typedScript(seedLines(c)).split("\n");
    expect(typed[0]).toBe(
      "# containerd-2.2.1-linux-amd64.tar.gz (containerd 2.2.1): uploaded from the dashboard's cache over SFTP to /var/tmp/containerd-2.2.1-linux-amd64.tar.gz (nodeprep: into a fresh mktemp -d directory there; by hand: scp it there)",
    );
    expect(typed.slice(1)).toEqual([
      `echo '${c.sha256}  /var/tmp/containerd-2.2.1-linux-amd64.tar.gz' | sha256sum -c`,
      "sudo tar Cxzvf /usr/local /var/tmp/containerd-2.2.1-linux-amd64.tar.gz",
      "rm -f /var/tmp/containerd-2.2.1-linux-amd64.tar.gz",
    ]);
    expect(renderAction(c, {}).script).toBe(typed.join("\n"));
  });
});
