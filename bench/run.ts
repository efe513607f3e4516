// npm run bench -- <name> [args]: runs bench/<name>.ts's main(args). Each benchmark measures its
// baseline in the same run and prints ratios; results go to bench/results/ (gitignored).
const BENCHES: Record<string, () => Promise<{ main(args: string[]): Promise<void> }>> = {
  health: () => import("./health"),
  facts: () => import("./facts"),
  fleet: () => import("./fleet"),
  practice: () => import("./practice"),
  terminal: () => import("./terminal"),
};

async function main() {
  const [name, ...args] = process.argv.slice(2);
  const load = name ? BENCHES[name] : undefined;
  if (!load) {
    console.log(`usage: npm run bench -- <${Object.keys(BENCHES).join("|")}> [args]`);
    process.exitCode = name ? 2 : 0;
    return;
  }
  await (await load()).main(args);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
