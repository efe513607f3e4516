// npm run lab -- build [--shape S] | start N... [--shape S] | stop N...|all | reset N... | status | shapes | ssh N [command]
import { spawnSync } from "node:child_process";
import { dropBases, saveBase } from "./bases";
import { ensureImage, findImage, listNodes, resetNode, startNode, stopAll, stopNode } from "./index";
import { SHAPE_NAMES, SHAPES, shapeOf, type ShapeName } from "./shapes";
import { getNode } from "./state";

const usage = `usage: npm run lab -- <command> [--shape NAME]
  build            build (or reuse) the practice-node image of a shape and its snapshot
  start N...       start practice node(s) N (1..99) from the snapshot of a shape
  stop N...|all    stop node(s) and discard their disks
  reset N...       discard a node's changes and restore it from the snapshot
  status           list running nodes with their SSH address
  ssh N [cmd]      open a shell (or run cmd) on node N as the key-auth user
  save-base N NAME save running node N as base NAME (RAM + disk) and stop it
  drop-bases [NAME...]  remove every saved base except the ones named
  --base NAME      (start, reset) start from base NAME instead of the golden snapshot
  --progress       (start, stop, reset, save-base) print each phase as "@progress <text>": the dashboard reads it
  shapes           list the shapes and whether their image is built
--shape NAME       ${SHAPE_NAMES.join(", ")} (default bookworm)`;

/** Take `--shape NAME` (or --shape=NAME) out of the arguments. */
function takeShape(args: string[]): { shape: ShapeName; rest: string[] } {
  const rest: string[] = [];
  let shape: string | undefined;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--shape") {
      shape = args[++i];
      if (!shape) throw new Error(`--shape needs a name: ${SHAPE_NAMES.join(", ")}`);
    } else if (args[i].startsWith("--shape=")) shape = args[i].slice("--shape=".length);
    else rest.push(args[i]);
  }
  return { shape: shapeOf(shape).name, rest };
}

function nodeNumbers(args: string[]): number[] {
  if (args.length === 0) throw new Error("which node? give a number, e.g. `npm run lab -- start 1`");
  return args.map((a) => {
    const n = Number(a);
    if (!Number.isInteger(n) || n < 1 || n > 99) throw new Error(`not a node number (1..99): ${a}`);
    return n;
  });
}

// The dashboard runs start, stop and reset through this CLI (server/practice/lab-runner.ts) and shows
// these lines as the operation's phases.
const PROGRESS_FLAG = "--progress";

async function main(argv: string[]) {
  const withProgress = argv.includes(PROGRESS_FLAG);
  const baseAt = argv.indexOf("--base");
  const base = baseAt >= 0 ? argv[baseAt + 1] : undefined;
  if (baseAt >= 0 && !base) throw new Error("--base needs a base name");
  const [command, ...all] = argv.filter((a, i) => a !== PROGRESS_FLAG && (baseAt < 0 || (i !== baseAt && i !== baseAt + 1)));
  const onProgress = withProgress ? (message: string) => console.log(`@progress ${message.replace(/\n/g, " ")}`) : undefined;
  const { shape, rest: args } = takeShape(all);
  switch (command) {
    case "build": {
      const image = await ensureImage({ shape });
      console.log(`image: ${image.dir}`);
      return;
    }
    case "start":
      for (const n of nodeNumbers(args)) await startNode(n, { onProgress, base, shape });
      return printStatus();
    case "shapes":
      for (const name of SHAPE_NAMES) {
        const image = findImage(name);
        const t = image?.timings;
        console.log(`${name.padEnd(18)} ${SHAPES[name].summary}  ${image ? `built (${image.dir}${t?.buildS ? `, build ${t.buildS} s, boot ${t.bootS} s` : ""})` : "not built"}`);
      }
      return;
    case "stop":
      if (args[0] === "all") await stopAll();
      else for (const n of nodeNumbers(args)) await stopNode(n, { onProgress });
      return;
    case "reset":
      for (const n of nodeNumbers(args)) await resetNode(n, { onProgress, base });
      return printStatus();
    case "status":
      return printStatus();
    case "save-base": {
      const [n] = nodeNumbers(args.slice(0, 1));
      if (!args[1]) throw new Error("which base? e.g. `npm run lab -- save-base 1 runtime`");
      const saved = await saveBase(n, args[1], { onProgress });
      console.log(`base ${saved.name}: ${saved.dir}`);
      return;
    }
    case "drop-bases":
      for (const b of dropBases(args)) console.log(`dropped base ${b}`);
      return;
    case "ssh": {
      const [n] = nodeNumbers(args.slice(0, 1));
      const node = getNode(n);
      if (!node) throw new Error(`practice-${n} is not running: npm run lab -- start ${n}`);
      const r = spawnSync(
        "ssh",
        ["-i", node.privateKeyPath, "-p", String(node.port), "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR", `${node.user}@${node.host}`, ...args.slice(1)],
        { stdio: "inherit" },
      );
      process.exitCode = r.status ?? 1;
      return;
    }
    default:
      console.log(usage);
      if (command && command !== "help") process.exitCode = 2;
  }
}

function printStatus() {
  const nodes = listNodes();
  if (nodes.length === 0) {
    const image = findImage();
    console.log(image ? `image: ${image.dir}` : "image: not built (npm run lab -- build)");
    console.log("no practice nodes running");
  }
  for (const node of nodes) {
    console.log(`practice-${node.n}  ${node.shape}  ${node.user}@${node.host} -p ${node.port}  key ${node.privateKeyPath}  pid ${node.pid}`);
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(`lab: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
