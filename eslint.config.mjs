// Lint: Next's rules plus the one-way import rule of design.md:
//   app -> server, components, lib;  components -> components, lib;  server -> server, lib;  lib -> lib.
// And only server/ssh (plus the lab and tests) may import ssh2 (design.md convention 3).
// And errors are AppErrors (server/errors.ts) everywhere; only server/http, which answers with them,
// imports its own errors module (design.md convention 13).
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

const layer = (dir) => [`@/${dir}`, `@/${dir}/**`, `**/${dir}/**`, `../${dir}`, `../../${dir}`];
const noSsh2 = { name: "ssh2", message: "only server/ssh touches ssh2 (design.md convention 3)" };
const noHttpErrors = {
  group: ["@/server/http/errors", "**/http/errors", "./http/errors", "../http/errors", "../../http/errors"],
  message: "throw an AppError (server/errors.ts); only route() turns errors into answers (design.md convention 13)",
};

const imports = (files, forbidden, why, { ssh2 = false, ignores = [], httpErrors = false } = {}) => ({
  files,
  ignores,
  rules: {
    "no-restricted-imports": [
      "error",
      {
        paths: ssh2 ? [] : [noSsh2],
        patterns: [...(forbidden.length ? [{ group: forbidden.flatMap(layer), message: why }] : []), ...(httpErrors ? [] : [noHttpErrors])],
      },
    ],
  },
});

const config = [
  ...nextVitals,
  ...nextTs,
  { ignores: [".next/**", "node_modules/**", "next-env.d.ts", "test-results/**", "playwright-report/**"] },
  // Host output is text, never HTML: no component may inject markup, except the ones that show the
  // project's own Markdown (content/: explanations, chapter 0, scenarios, hints; raw HTML in it is
  // escaped by the renderer).
  { files: ["app/**", "components/**"], ignores: ["components/ui/trusted-markdown.tsx"], rules: { "react/no-danger": "error" } },
  // Tests dig into parsed documents (TOML, JSON) whose shape is the thing under test.
  { files: ["**/*.test.ts", "**/*.test.tsx"], rules: { "@typescript-eslint/no-explicit-any": "off" } },
  // Playwright fixtures call a parameter named `use`; it is not React's hook.
  { files: ["e2e/**"], rules: { "react-hooks/rules-of-hooks": "off" } },
  imports(["app/**"], [], ""),
  imports(["components/**"], ["server", "app"], "components reach the server through lib's typed fetchers"),
  imports(["lib/**"], ["server", "app", "components"], "lib is isomorphic and depends on nothing above it"),
  imports(["server/**"], ["app", "components"], "server code never imports UI or routes", { ignores: ["server/ssh/**", "server/http/**"] }),
  imports(["server/http/**"], ["app", "components"], "server code never imports UI or routes", { httpErrors: true }),
  imports(["server/ssh/**"], ["app", "components"], "server code never imports UI or routes", { ssh2: true }),
];

export default config;
