import net from "node:net";
import { describe, expect, it } from "vitest";
import { allocatePort, isPortFree } from "./ports";

describe("allocatePort", () => {
  it("gives node N its preferred port base+N when free", async () => {
    expect(await allocatePort(3, { base: 2200, isFree: async () => true })).toBe(2203);
  });

  it("skips a port another node holds and never takes another node's preferred port", async () => {
    const port = await allocatePort(1, { base: 2200, taken: [2201], isFree: async () => true });
    expect(port).toBe(2300);
  });

  it("skips ports something else is listening on", async () => {
    const busy = new Set([2201, 2300, 2301]);
    expect(await allocatePort(1, { base: 2200, isFree: async (p) => !busy.has(p) })).toBe(2302);
  });

  it("rejects node numbers outside 1..99", async () => {
    await expect(allocatePort(0)).rejects.toThrow(/1\.\.99/);
    await expect(allocatePort(100)).rejects.toThrow(/1\.\.99/);
    await expect(allocatePort(1.5)).rejects.toThrow(/1\.\.99/);
  });

  it("fails clearly when every candidate is taken", async () => {
    await expect(allocatePort(1, { base: 2200, isFree: async () => false })).rejects.toThrow(/no free port for practice node 1/);
  });
});

describe("isPortFree", () => {
  it("sees a real listener on loopback", async () => {
    const server = net.createServer();
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as net.AddressInfo).port;
    expect(await isPortFree(port)).toBe(false);
    await new Promise<void>((r) => server.close(() => r()));
    expect(await isPortFree(port)).toBe(true);
  });
});
