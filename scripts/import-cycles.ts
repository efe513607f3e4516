// `npm run lint` part two: no import cycles. A cycle makes the order modules initialise in decide
// what works (a value imported from a module still initialising is undefined), and between the
// folders of server/ it means two areas that cannot be understood or changed apart.
//
// Two checks on the runtime imports of every .ts/.tsx file (type-only imports are erased at build time
// and do not count; dynamic import() does):
//   1. modules: no file reaches itself again through its imports;
//   2. server/ areas (server/<folder>): no area depends on itself through another one (tests, which
//      may reach across areas, are left out of this one).
// TypeScript's own parser reads the imports (no regex guessing): a run takes a second or two, where
// eslint-plugin-import's no-cycle took a minute here.
//
// Usage: tsx scripts/import-cycles.ts [root]   (exit 1 and a list of the cycles when there are any)
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const SKIP = new Set(["node_modules", ".next", ".git", "test-results", "playwright-report", "artifacts", "data"]);
const EXTENSIONS = [".ts", ".tsx"];

export function sourceFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      if (SKIP.has(e.name) || e.name.startsWith(".")) continue;
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (EXTENSIONS.some((x) => e.name.endsWith(x)) && !e.name.endsWith(".d.ts")) out.push(p);
    }
  };
  walk(root);
  return out.sort();
}

const allTypeOnly = (elements: ts.NodeArray<ts.ImportSpecifier | ts.ExportSpecifier>) => elements.length > 0 && elements.every((e) => e.isTypeOnly);

/** The module specifiers a file imports at run time. */
export function runtimeImports(file: string, text: string): string[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, file.endsWith(".tsx") ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const specs: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const c = node.importClause;
      const typeOnly = c && (c.isTypeOnly || (!c.name && c.namedBindings && ts.isNamedImports(c.namedBindings) && allTypeOnly(c.namedBindings.elements)));
      if (!typeOnly) specs.push(node.moduleSpecifier.text);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      const typeOnly = node.isTypeOnly || (node.exportClause && ts.isNamedExports(node.exportClause) && allTypeOnly(node.exportClause.elements));
      if (!typeOnly) specs.push(node.moduleSpecifier.text);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments[0] && ts.isStringLiteral(node.arguments[0])) {
      specs.push(node.arguments[0].text);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return specs;
}

/** The file an import names: relative or "@/..." (the tsconfig path alias); null for packages. */
export function resolveImport(root: string, from: string, spec: string, exists: (p: string) => boolean = fs.existsSync): string | null {
  let base: string;
  if (spec.startsWith("@/")) base = path.join(root, spec.slice(2));
  else if (spec.startsWith("./") || spec.startsWith("../")) base = path.resolve(path.dirname(from), spec);
  else return null;
  const candidates = [base, ...EXTENSIONS.map((x) => base + x), ...EXTENSIONS.map((x) => path.join(base, "index" + x))];
  return candidates.find((c) => EXTENSIONS.some((x) => c.endsWith(x)) && exists(c)) ?? null;
}

/** Strongly connected components with more than one member, or a member that imports itself (Tarjan). */
export type Graph = ReadonlyMap<string, ReadonlySet<string>>;

export function cycles(graph: Graph): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const out: string[][] = [];
  const strong = (v: string) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!idx.has(w)) {
        strong(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1 || graph.get(v)?.has(v)) out.push(scc.sort());
    }
  };
  for (const v of graph.keys()) if (!idx.has(v)) strong(v);
  return out;
}

/** One way round a cycle, for the message: from its first member back to it. */
export function pathRound(graph: Graph, members: string[]): string[] {
  const inside = new Set(members);
  const start = members[0];
  const prev = new Map<string, string | null>([[start, null]]);
  const queue = [start];
  while (queue.length) {
    const v = queue.shift()!;
    for (const w of graph.get(v) ?? []) {
      if (!inside.has(w)) continue;
      if (w === start) {
        const chain: string[] = [];
        for (let x: string | null = v; x !== null; x = prev.get(x) ?? null) chain.unshift(x);
        return [...chain, start];
      }
      if (!prev.has(w)) {
        prev.set(w, v);
        queue.push(w);
      }
    }
  }
  return members;
}

const areaOf = (rel: string): string | null => {
  const parts = rel.split(path.sep);
  return parts[0] === "server" && parts.length > 2 ? `server/${parts[1]}` : null;
};

/** Every cycle under root: { modules: [[file, ...]], areas: [[area, ...]] }, paths relative to root. */
export function findCycles(root: string): { modules: string[][]; areas: string[][] } {
  const files = sourceFiles(root);
  const modules = new Map<string, Set<string>>();
  for (const f of files) {
    const deps = new Set<string>();
    for (const spec of runtimeImports(f, fs.readFileSync(f, "utf8"))) {
      const target = resolveImport(root, f, spec);
      if (target) deps.add(path.relative(root, target));
    }
    modules.set(path.relative(root, f), deps);
  }
  const areas = new Map<string, Set<string>>();
  for (const [f, deps] of modules) {
    const a = areaOf(f);
    if (!a || /\.test\.tsx?$/.test(f)) continue;
    if (!areas.has(a)) areas.set(a, new Set());
    for (const d of deps) {
      const b = areaOf(d);
      if (b && b !== a) areas.get(a)!.add(b);
    }
  }
  return { modules: cycles(modules).map((m) => pathRound(modules, m)), areas: cycles(areas).map((c) => pathRound(areas, c)) };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = path.resolve(process.argv[2] ?? path.join(path.dirname(fileURLToPath(import.meta.url)), ".."));
  const found = findCycles(root);
  for (const c of found.modules) console.error(`import cycle: ${c.join(" -> ")}`);
  for (const c of found.areas) console.error(`import cycle between server areas: ${c.join(" -> ")} (each arrow: some file of one imports the other)`);
  if (found.modules.length || found.areas.length) process.exit(1);
}
