// The node list and the health matrix at 1,000 synthetic nodes in Chromium (bench/fleet/render-entry.tsx),
// as bench/health measures the matrix at 500. Synthetic data is made here, never in the product.
import type { GroupSummary } from "../../lib/contracts/groups";
import type { HealthColumn } from "../../lib/contracts/health";
import type { NodeSummary } from "../../lib/contracts/nodes";
import { syntheticMatrix } from "../health";
import { runInChromium } from "../lib";

export interface RenderFigures {
  nodes: number;
  groups: number;
  columns: number;
  nodeListMs: number;
  nodeListFilterMs: number;
  /** The first frame (the first rows); then every row, rendered in the background. */
  matrixMs: number;
  matrixAllRowsMs: number;
  matrixPollMs: number;
  matrixGroupedMs: number;
  matrixGroupedAllRowsMs: number;
  matrixOneGroupMs: number;
}

export async function renderFleet(columns: HealthColumn[], count: number, reps: number): Promise<RenderFigures> {
  const matrix = syntheticMatrix(columns, count);
  const at = new Date().toISOString();
  const nodes: NodeSummary[] = matrix.nodes.map((r, i) => ({
    id: r.nodeId,
    name: r.name,
    address: r.address,
    port: 22,
    username: "ops",
    authMethod: "key",
    privilege: "sudo-nopasswd",
    practice: false,
    jumpNodeId: null,
    jumpNodeName: i % 50 === 1 ? "bastion" : null,
    hostKeyStatus: "trusted",
    hostKey: { type: "ssh-ed25519", fingerprint: "SHA256:x", keygen: "256 SHA256:x no comment (ED25519)", source: "operator", trustedAt: at, trustedBy: "bench" },
    offeredHostKey: null,
    lastContact: { at, ok: true, kind: null, message: null },
    secrets: { privateKey: true, passphrase: false, password: false, sudoPassword: false },
    createdAt: at,
    updatedAt: at,
  }));
  // Ten racks of a tenth each, two halves holding five racks each, as an imported inventory would.
  const rack = (k: number): GroupSummary => {
    const ids = nodes.filter((_, i) => i % 10 === k).map((n) => n.id);
    return { id: `00000000-0000-4000-9000-${String(k).padStart(12, "0")}`, name: `rack${k}`, nodeIds: ids, childIds: [], allNodeIds: ids, createdAt: at, updatedAt: at };
  };
  const racks = Array.from({ length: 10 }, (_, k) => rack(k));
  const half = (h: number): GroupSummary => {
    const mine = racks.slice(h * 5, h * 5 + 5);
    return { id: `00000000-0000-4000-a000-${String(h).padStart(12, "0")}`, name: `half${h}`, nodeIds: [], childIds: mine.map((g) => g.id), allNodeIds: mine.flatMap((g) => g.allNodeIds), createdAt: at, updatedAt: at };
  };
  const groups = [...racks, half(0), half(1)];
  const result = (await runInChromium("bench/fleet/render-entry.tsx", "benchFleet", [nodes, groups, matrix, reps])) as Omit<RenderFigures, "nodes" | "groups" | "columns">;
  return { nodes: count, groups: groups.length, columns: matrix.columns.length, ...result };
}
