// Every practice node is a distinct machine, as a trainee and the health view expect: its own SSH host keys, /etc/machine-id and
// hostname, given right after the snapshot restore. Nodes restored from one snapshot otherwise share
// all three, and the Kubernetes install guide asks for unique ones (two nodes with one machine-id
// are one identity to systemd, journald and the kubelet).
//
// The keys are generated HERE, on the lab's machine, while QEMU restores the VM (so they cost no time
// on the node's path), then written into the guest: the lab knows each node's key before the node
// ever presents it, and the dashboard pins exactly that key when it registers the node (out of band,
// like a provisioning system does), with no trust prompt.
//
// What a snapshot restore does NOT allow (measured; see README "Practice nodes"):
// - MAC: virtio-net's MAC is device state in the snapshot. `-device ...,mac=` on a restored node is
//   overwritten by the migrated state, and changing it in the guest (`ip link set address`, even with
//   arp_notify) cut the node's user-mode network; after a reboot the device takes the command-line
//   MAC and slirp's DHCP, restored from the snapshot, hands out another address, so the SSH forward
//   breaks. Each node sits on its own isolated user-mode network, so the shared MAC collides nowhere.
// - product_uuid: the guest read its SMBIOS tables at the golden boot; they are in its RAM. QEMU's
//   default machine has no system UUID, so /sys/class/dmi/id/product_uuid does not exist on any node.
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export interface HostKeyPair {
  /** File name under /etc/ssh, e.g. ssh_host_ed25519_key. */
  name: string;
  privateKey: string;
  /** The .pub line ("ssh-ed25519 AAAA... comment"). */
  publicKey: string;
}

export interface NodeIdentity {
  hostname: string;
  /** 32 lowercase hex digits, as machine-id(5) wants. */
  machineId: string;
  hostKeys: HostKeyPair[];
}

const KEY_TYPES = [
  { type: "ed25519", args: [] as string[] },
  { type: "ecdsa", args: ["-b", "256"] },
  { type: "rsa", args: ["-b", "3072"] },
];

/** New host keys (ssh-keygen, all three types sshd offers by default) and a new machine-id. */
export async function makeIdentity(hostname: string): Promise<NodeIdentity> {
  if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(hostname)) throw new Error(`not a hostname: ${hostname}`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "nodeprep-identity-"));
  try {
    const hostKeys = await Promise.all(
      KEY_TYPES.map(async ({ type, args }) => {
        const name = `ssh_host_${type}_key`;
        const file = path.join(dir, name);
        await run("ssh-keygen", ["-q", "-t", type, ...args, "-N", "", "-C", `root@${hostname}`, "-f", file]);
        return { name, privateKey: fs.readFileSync(file, "utf8"), publicKey: fs.readFileSync(`${file}.pub`, "utf8").trim() };
      }),
    );
    return { hostname, machineId: randomBytes(16).toString("hex"), hostKeys };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const b64 = (s: string) => Buffer.from(s).toString("base64");

/**
 * The root shell script that gives the guest this identity and the host's clock (a restored guest
 * believes it is still the snapshot's moment). One SSH round trip; sshd is reloaded (OpenSSH 9.8 and
 * later load host keys only in the listener), so every new connection sees the new key. Only base64,
 * hex digits and the checked hostname go into it: nothing needs quoting.
 */
export function identityScript(identity: NodeIdentity, epochSeconds: number): string {
  const { hostname, machineId } = identity;
  const lines = [
    "set -e",
    "umask 022",
    `date -s @${Math.floor(epochSeconds)} > /dev/null`,
    `hostname ${hostname}`,
    `echo ${hostname} > /etc/hostname`,
    `sed -i "s/^127.0.1.1 .*/127.0.1.1 ${hostname}/" /etc/hosts`,
    `echo ${machineId} > /etc/machine-id`,
    // journald keeps writing under the machine-id it started with, and journalctl reads the journal of
    // the current one: without a restart the node's own log (sudo's lines, say) looks empty.
    "systemctl restart --no-block systemd-journald",
    "rm -f /etc/ssh/ssh_host_*",
    ...identity.hostKeys.flatMap((k) => [
      `echo ${b64(k.privateKey)} | base64 -d > /etc/ssh/${k.name} && chmod 600 /etc/ssh/${k.name}`,
      `echo ${b64(k.publicKey + "\n")} | base64 -d > /etc/ssh/${k.name}.pub`,
    ]),
    // Not waiting for it: the lab's next connection checks that the new key answers.
    "systemctl reload --no-block ssh",
  ];
  return lines.join("\n");
}
