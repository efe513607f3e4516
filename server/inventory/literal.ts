import "server-only";

// What ansible-core's INI inventory does to `key=value` values: Python's ast.literal_eval, falling back
// to the text itself (plugins/inventory/ini.py _parse_value). nodeprep reads strings, integers and
// booleans; containers ([...], {...}) stay text, which only matters for variables it ignores.

const PY_INT = /^[-+]?(0+|[1-9][0-9_]*)$/;
const PY_FLOAT = /^[-+]?(([0-9]+\.[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?|[0-9]+[eE][-+]?[0-9]+)$/;

function pyString(s: string): string | null {
  const q = s[0];
  if ((q !== "'" && q !== '"') || s.length < 2 || s[s.length - 1] !== q) return null;
  const body = s.slice(1, -1);
  let out = "";
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === q) return null; // an unescaped closing quote inside: not one literal
    if (c !== "\\") {
      out += c;
      continue;
    }
    const n = body[++i];
    const map: Record<string, string> = { n: "\n", t: "\t", r: "\r", "\\": "\\", "'": "'", '"': '"', "0": "\0" };
    out += n in map ? map[n] : `\\${n ?? ""}`;
  }
  return out;
}

export function literalEval(text: string): unknown {
  const s = text.trim();
  if (s === "True") return true;
  if (s === "False") return false;
  if (s === "None") return null;
  if (PY_INT.test(s)) return Number(s.replace(/_/g, ""));
  if (PY_FLOAT.test(s)) return Number(s);
  const str = pyString(s);
  if (str !== null) return str;
  return text;
}
