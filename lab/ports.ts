// Host ports for the practice nodes' forwarded SSH. Node N prefers base+N so a person can remember
// it (`ssh -p 2201 prep@127.0.0.1`), and falls forward to the next free port when that is taken.
import net from "node:net";

export const DEFAULT_PORT_BASE = 2200;

export function isPortFree(port: number, host = "127.0.0.1"): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

export async function allocatePort(
  node: number,
  opts: { base?: number; taken?: Iterable<number>; isFree?: (port: number) => Promise<boolean> } = {},
): Promise<number> {
  const base = opts.base ?? DEFAULT_PORT_BASE;
  const taken = new Set(opts.taken ?? []);
  const isFree = opts.isFree ?? ((p: number) => isPortFree(p));
  if (!Number.isInteger(node) || node < 1 || node > 99) throw new Error(`node number must be 1..99, got ${node}`);
  // Preferred port first, then the overflow range above base+99 (never another node's preferred port).
  const candidates = [base + node];
  for (let port = base + 100; port <= Math.min(65535, base + 1100); port++) candidates.push(port);
  for (const port of candidates) {
    if (!taken.has(port) && (await isFree(port))) return port;
  }
  throw new Error(`no free port for practice node ${node} in ${base + node} or ${base + 100}-${base + 1100}`);
}
