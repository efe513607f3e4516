// npm run bench -- facts [--nodes 1,2,4] [--reps 7]
//
// Facts for 1, 2 and 4 practice nodes (71..74) gathered in parallel through the product's own path
// (pooled ssh2 connection, one remote script, parsed into HostFacts) as a ratio to ONE bare ssh2 exec
// of `true` per node on the same nodes, both on open connections, measured alternately in the same
// run so machine load hits both alike. Target: <= 1.5x, the whole of a host's facts at little more
// than the cheapest command there is. Facts run in the connection's kept shell
// (server/ssh/shell-session.ts), so the warm figure has no sshd session or login shell in it; the
// cold figure (a new connection for every measurement, both sides) is printed next to it.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Client } from "ssh2";
import { arg, coldExecTrue, connectBare, execTrue, median, round, timed, writeResults } from "./lib";

const NODE_NUMBERS = [71, 72, 73, 74];

export async function main(args: string[]) {
  const counts = (arg(args, "--nodes") ?? "1,2,4").split(",").map(Number);
  const reps = Number(arg(args, "--reps") ?? "7");
  const maxNodes = Math.max(...counts);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "nodeprep-bench-facts-"));
  process.env.NODEPREP_LAB_STATE = path.join(work, "lab");
  const lab = await import("../lab");
  const { getRemoteHost, closeAllConnections } = await import("../server/ssh");
  const { practiceTarget } = await import("../server/practice/target");
  const { gatherFacts } = await import("../server/facts/gather");

  const nodes: Awaited<ReturnType<typeof lab.startNode>>[] = [];
  for (const n of NODE_NUMBERS.slice(0, maxNodes)) nodes.push(await lab.startNode(n));
  const bare: Client[] = [];
  try {
    // Each node's own host key, pinned as the dashboard would (the lab made it: known out of band).
    const targets = nodes.map((node) => practiceTarget(node, { nodeId: `bench-${node.n}` }));
    for (const node of nodes) bare.push(await connectBare(node));
    // Warm both paths (connections open, guest caches filled) before measuring.
    await Promise.all(targets.map((t) => gatherFacts(getRemoteHost(t))));
    await Promise.all(bare.map(execTrue));

    const results = [];
    for (const count of counts) {
      const baseline: number[] = [];
      const facts: number[] = [];
      for (let i = 0; i < reps; i++) {
        baseline.push(await timed(() => Promise.all(bare.slice(0, count).map(execTrue))));
        facts.push(await timed(() => Promise.all(targets.slice(0, count).map((t) => gatherFacts(getRemoteHost(t))))));
      }
      // Cold: a new connection each time (handshake, auth, then the first command, which also starts the
      // kept shell on nodeprep's side), against a new bare connection running `true`.
      const coldBare: number[] = [];
      const coldFacts: number[] = [];
      for (let i = 0; i < Math.min(reps, 3); i++) {
        coldBare.push(await timed(() => coldExecTrue(nodes.slice(0, count))));
        closeAllConnections();
        coldFacts.push(await timed(() => Promise.all(targets.slice(0, count).map((t) => gatherFacts(getRemoteHost(t))))));
      }
      const row = {
        nodes: count,
        bareExecTrueMs: round(median(baseline)),
        factsMs: round(median(facts)),
        ratio: round(median(facts) / median(baseline), 2),
        coldBareMs: round(median(coldBare)),
        coldFactsMs: round(median(coldFacts)),
        coldRatio: round(median(coldFacts) / median(coldBare), 2),
      };
      results.push(row);
      console.log(`[bench] facts on ${count} node(s): ${row.factsMs} ms vs bare exec of true ${row.bareExecTrueMs} ms -> ${row.ratio}x (target <= 1.5x)`);
      console.log(`[bench]   cold (new connection each): ${row.coldFactsMs} ms vs ${row.coldBareMs} ms -> ${row.coldRatio}x`);
    }
    writeResults("facts", { at: new Date().toISOString(), reps, results });
  } finally {
    for (const c of bare) c.end();
    closeAllConnections();
    await lab.stopAll();
    fs.rmSync(work, { recursive: true, force: true });
  }
}
