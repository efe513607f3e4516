// A minimal QMP (QEMU Machine Protocol) client over a unix socket: enough to pause, snapshot
// (migrate to a file), resume and quit a practice node. https://www.qemu.org/docs/master/interop/qmp-spec.html
import net from "node:net";

type Pending = { resolve: (v: unknown) => void; reject: (e: Error) => void };

export class Qmp {
  private buffer = "";
  private nextId = 1;
  private pending = new Map<number, Pending>();
  private greeted!: Promise<void>;

  private constructor(private socket: net.Socket) {}

  static async connect(path: string, timeoutMs = 15_000): Promise<Qmp> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        const socket = await new Promise<net.Socket>((resolve, reject) => {
          const s = net.createConnection(path);
          s.once("connect", () => resolve(s));
          s.once("error", reject);
        });
        const qmp = new Qmp(socket);
        qmp.listen();
        await qmp.greeted;
        await qmp.execute("qmp_capabilities");
        return qmp;
      } catch (error) {
        if (Date.now() > deadline) throw new Error(`QMP socket ${path} did not answer: ${String(error)}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  }

  private listen() {
    let greet!: () => void;
    this.greeted = new Promise((r) => (greet = r));
    this.socket.setEncoding("utf8");
    this.socket.on("data", (chunk: string) => {
      this.buffer += chunk;
      let nl: number;
      while ((nl = this.buffer.indexOf("\n")) >= 0) {
        const line = this.buffer.slice(0, nl).trim();
        this.buffer = this.buffer.slice(nl + 1);
        if (!line) continue;
        const msg = JSON.parse(line) as { QMP?: unknown; id?: number; return?: unknown; error?: { desc: string } };
        if (msg.QMP) greet();
        if (typeof msg.id !== "number") continue;
        const p = this.pending.get(msg.id);
        if (!p) continue;
        this.pending.delete(msg.id);
        if (msg.error) p.reject(new Error(`QMP: ${msg.error.desc}`));
        else p.resolve(msg.return);
      }
    });
    const failAll = () => {
      for (const p of this.pending.values()) p.reject(new Error("QMP connection closed"));
      this.pending.clear();
    };
    this.socket.on("close", failAll);
    this.socket.on("error", failAll);
  }

  execute<T = unknown>(command: string, args?: Record<string, unknown>): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.socket.write(JSON.stringify({ execute: command, arguments: args, id }) + "\n");
    });
  }

  /** Poll a query until `done` says so. */
  async waitFor<T>(command: string, done: (v: T) => boolean, timeoutMs: number): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await this.execute<T>(command);
      if (done(value)) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting on ${command}: ${JSON.stringify(value)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  close() {
    this.socket.destroy();
  }
}
