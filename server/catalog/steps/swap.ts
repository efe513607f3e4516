import "server-only";
import { parseProcSwaps } from "../probes/host";
import { swapUnitsSeen } from "../probes/swap";
import type { Action, FileState, Step } from "../types";

export const FSTAB = "/etc/fstab";
export const PROC_SWAPS = "/proc/swaps";

// A unit name as systemd escapes it (systemd-escape): letters, digits, ":_.\-" and \xNN escapes.
const UNIT_NAME = /^[A-Za-z0-9:_.\\@-]+\.swap$/;

/** A line of /etc/fstab that turns swap on: not a comment, third field "swap". */
export function isSwapLine(line: string): boolean {
  const t = line.trim();
  return t !== "" && !t.startsWith("#") && t.split(/\s+/)[2] === "swap";
}

/**
 * /etc/fstab with every swap line commented out ("#" in front, as `sed -i '/ swap / s/^/#/'` in the
 * kubeadm guides does), everything else byte for byte. Null when there is no swap line.
 */
export function commentOutSwapLines(fstab: string): { content: string; lines: string[] } | null {
  const lines: string[] = [];
  const content = fstab
    .split("\n")
    .map((l) => {
      if (!isSwapLine(l)) return l;
      lines.push(l.trim());
      return `#${l}`;
    })
    .join("\n");
  return lines.length ? { content, lines } : null;
}

const modeOf = (state: FileState) => (state.kind === "file" && /^[0-7]{3,4}$/.test(state.mode) ? parseInt(state.mode, 8) : 0o644);

/**
 * Swap off now (`swapoff -a`) and at every boot: the swap lines of /etc/fstab commented out, every swap
 * unit masked. The kubelet refuses to start while swap is on (failSwapOn, true by default), and
 * kubeadm's preflight stops on it too.
 */
export const swapStep: Step = {
  id: "swap",
  title: "Swap off",
  summary: "swap off now and at every boot: fstab lines commented out, swap units masked",
  requires: [],
  observe: { probes: ["swap-units"], files: [FSTAB, PROC_SWAPS] },
  plan(facts, observed) {
    const actions: Action[] = [];
    const notes: string[] = [];

    const swaps = observed.files[PROC_SWAPS];
    const active = swaps?.kind === "file" ? parseProcSwaps(swaps.content) : null;
    if (active === null) throw new Error(`${PROC_SWAPS} could not be read: is this a Linux host with /proc mounted?`);
    if (active.length) {
      actions.push({
        kind: "run-command",
        argv: ["swapoff", "-a"],
        reason: `swap is on: ${active.map((s) => `${s.filename} (${s.type}, ${s.sizeKiB} KiB)`).join(", ")}`,
        // Pages in swap are read back into memory first: a full swap takes a while.
        timeoutMs: 600_000,
      });
    }

    const fstab = observed.files[FSTAB];
    let fstabChanged = false;
    if (fstab?.kind === "other") throw new Error(`${FSTAB}: ${fstab.detail}`);
    if (fstab?.kind === "file") {
      const edited = commentOutSwapLines(fstab.content);
      if (edited) {
        fstabChanged = true;
        actions.push({
          kind: "write-file",
          path: FSTAB,
          mode: modeOf(fstab),
          content: edited.content,
          reason: `swap comes back at the next boot from: ${edited.lines.join("; ")}`,
        });
      }
    }

    if (facts.init !== "systemd") {
      notes.push("This host's init is not systemd: there are no swap units to mask. Check that no init script runs swapon.");
    } else {
      const units = swapUnitsSeen(observed.probes["swap-units"]);
      if (units === null) throw new Error("the host did not list its swap units (systemctl list-unit-files --type=swap)");
      const loud = units.filter((u) => !["masked", "masked-runtime", "disabled"].includes(u.state));
      for (const u of loud) if (!UNIT_NAME.test(u.unit)) throw new Error(`unexpected swap unit name from systemctl: ${JSON.stringify(u.unit)}`);
      // systemctl mask puts a /dev/null link in /etc/systemd/system and refuses when the unit's own file is there.
      const own = loud.filter((u) => u.inEtc);
      const toMask = loud.filter((u) => !u.inEtc);
      for (const u of own) {
        if (u.state === "static") {
          notes.push(`${u.unit} is a unit file in /etc/systemd/system without an [Install] section: it starts only when another unit wants it, and it cannot be masked while its file is there. Find what pulls it in (systemctl list-dependencies --reverse ${u.unit}).`);
          continue;
        }
        actions.push({
          kind: "run-command",
          argv: ["systemctl", "disable", "--now", u.unit],
          reason: `${u.unit} is ${u.state}: its own unit file in /etc/systemd/system turns swap on at boot (systemctl cannot mask a unit whose file is there)`,
        });
      }
      if (toMask.length) {
        actions.push({
          kind: "run-command",
          argv: ["systemctl", "mask", ...toMask.map((u) => u.unit)],
          reason: `${toMask.map((u) => `${u.unit} (${u.state})`).join(", ")} would turn swap on at boot${toMask.some((u) => u.state === "generated") ? "; a generated unit comes from /etc/fstab or a generator (GPT swap partition, zram)" : ""}`,
        });
      }
      if (fstabChanged) {
        actions.push({
          kind: "run-command",
          argv: ["systemctl", "daemon-reload"],
          reason: "systemd made swap units from the old /etc/fstab: reload so it reads the new one",
        });
      }
    }
    return { actions, notes };
  },
  verify: ["swap-off", "swapon-show", "swap-units"],
  // Its plan is made from each host's own /etc/fstab and swap units: a playbook cannot carry one copy.
  notExported:
    "Not in this playbook: the swap step edits each host's own /etc/fstab and swap units. On each host: `swapoff -a`, comment out the swap lines of /etc/fstab, `systemctl mask` the swap units (`systemctl list-unit-files --type=swap`); or run the wizard's Swap off step on these hosts.",
};
